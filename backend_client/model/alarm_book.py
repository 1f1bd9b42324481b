"""The console's copy of the backend's alarm state, kept exact by sequence numbers and snapshots."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from backend_client.model.alarm_queue_keys import queue_key
from backend_client.protocol import OPEN_LOOP_STAGES, AlarmChange, AlarmRecord, AlarmState

MAX_PENDING_CHANGES = 100_000
MAX_JOURNAL = 200_000  # changed ids kept for readers; one further behind re-reads everything

AlarmCursor = tuple[int, int]  # (snapshot epoch, journal position)


def queue_order(alarm: AlarmRecord) -> tuple[int, int, int, str]:
    """Unacknowledged first, then most severe level, then newest."""
    return queue_key(alarm)


@dataclass(frozen=True, slots=True)
class AlarmDelta:
    """Alarms changed since a reader's cursor; full means every alarm (a snapshot came between)."""

    cursor: AlarmCursor
    full: bool
    alarms: dict[str, AlarmRecord | None]  # None: gone (normal and its loop closed)


class AlarmBook:
    """Applies alarm changes in sequence; reports a gap so the client resyncs from a snapshot."""

    def __init__(self) -> None:
        self._alarms: dict[str, AlarmRecord] = {}
        self._seq: int | None = None  # None until the first snapshot
        self._pending: list[AlarmChange] = []
        self._lock = threading.Lock()
        self.version = 0  # bumped on every visible change; views poll it
        self.gaps = 0
        self._journal: list[str] = []  # ids in change order, for readers that apply batches
        self._journal_base = 0  # absolute position of _journal[0]
        self._epoch = 0  # bumped by every snapshot

    @property
    def seq(self) -> int | None:
        return self._seq

    @property
    def synced(self) -> bool:
        return self._seq is not None

    def apply_change(self, change: AlarmChange) -> bool:
        """Apply one change; False means a sequence gap (caller should fetch a snapshot)."""
        with self._lock:
            if self._seq is None:
                if len(self._pending) < MAX_PENDING_CHANGES:
                    self._pending.append(change)
                return True
            if change.seq <= self._seq:
                return True  # already contained in the snapshot or applied
            if change.seq != self._seq + 1:
                self.gaps += 1
                self._seq = None
                self._pending = [change]
                return False
            self._put(change.alarm)
            self._seq = change.seq
            self.version += 1
            return True

    def apply_snapshot(self, seq: int, alarms: Iterable[AlarmRecord]) -> None:
        """Replace everything with a snapshot, then replay buffered changes newer than it."""
        with self._lock:
            self._alarms = {}
            for alarm in alarms:
                self._put(alarm)
            self._seq = seq
            pending, self._pending = self._pending, []
            for change in sorted(pending, key=lambda c: c.seq):
                if change.seq == self._seq + 1:
                    self._put(change.alarm)
                    self._seq = change.seq
            self._epoch += 1
            self._journal_base += len(self._journal)
            self._journal = []
            self.version += 1

    def invalidate(self) -> None:
        """Forget the sequence (backend restarted or link lost); changes buffer until a snapshot."""
        with self._lock:
            self._seq = None
            self._pending = []

    def behind(self, backend_seq: int) -> bool:
        """True when the backend has published changes this book has not seen."""
        with self._lock:
            return self._seq is not None and backend_seq > self._seq

    def _put(self, alarm: AlarmRecord) -> None:
        if alarm.state == AlarmState.NORMAL and alarm.loop not in OPEN_LOOP_STAGES:
            self._alarms.pop(alarm.id, None)  # cleared and its loop closed (or never begun)
        else:
            self._alarms[alarm.id] = alarm
        self._journal.append(alarm.id)
        if len(self._journal) > MAX_JOURNAL:
            drop = len(self._journal) // 2
            del self._journal[:drop]
            self._journal_base += drop

    def changes_since(self, cursor: AlarmCursor | None) -> AlarmDelta:
        """Current records of the alarms changed since cursor (None: read everything)."""
        with self._lock:
            end = (self._epoch, self._journal_base + len(self._journal))
            if cursor is None or cursor[0] != self._epoch or cursor[1] < self._journal_base:
                return AlarmDelta(end, True, dict(self._alarms))
            ids = dict.fromkeys(self._journal[cursor[1] - self._journal_base :])
            return AlarmDelta(end, False, {i: self._alarms.get(i) for i in ids})

    def get(self, alarm_id: str) -> AlarmRecord | None:
        with self._lock:
            return self._alarms.get(alarm_id)

    def active(self) -> list[AlarmRecord]:
        """Every non-normal alarm in queue order."""
        with self._lock:
            alarms = [a for a in self._alarms.values() if a.state != AlarmState.NORMAL]
        alarms.sort(key=queue_order)
        return alarms

    def open_loops(self) -> list[AlarmRecord]:
        """Cleared alarms whose closed loop is still open (verify, dispatch, feedback, close)."""
        with self._lock:
            alarms = [a for a in self._alarms.values() if a.state == AlarmState.NORMAL]
        alarms.sort(key=queue_order)
        return alarms
