"""The console's copy of the backend's alarm state, kept exact by sequence numbers and snapshots."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState

_STATE_RANK = {
    AlarmState.UNACK: 0,
    AlarmState.RTN_UNACK: 1,
    AlarmState.ACKED: 2,
    AlarmState.SHELVED: 3,
    AlarmState.SUPPRESSED: 4,
    AlarmState.OUT_OF_SERVICE: 5,
    AlarmState.NORMAL: 6,
}
MAX_PENDING_CHANGES = 100_000


def queue_order(alarm: AlarmRecord) -> tuple[int, int, int]:
    """Unacknowledged first, then most severe level, then newest."""
    return (_STATE_RANK[alarm.state], alarm.level, -alarm.raised_us)


class AlarmBook:
    """Applies alarm changes in sequence; reports a gap so the client resyncs from a snapshot."""

    def __init__(self) -> None:
        self._alarms: dict[str, AlarmRecord] = {}
        self._seq: int | None = None  # None until the first snapshot
        self._pending: list[AlarmChange] = []
        self._lock = threading.Lock()
        self.version = 0  # bumped on every visible change; views poll it
        self.gaps = 0

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
        if alarm.state == AlarmState.NORMAL:
            self._alarms.pop(alarm.id, None)
        else:
            self._alarms[alarm.id] = alarm

    def get(self, alarm_id: str) -> AlarmRecord | None:
        with self._lock:
            return self._alarms.get(alarm_id)

    def active(self) -> list[AlarmRecord]:
        """Every non-normal alarm in queue order."""
        with self._lock:
            alarms = list(self._alarms.values())
        alarms.sort(key=queue_order)
        return alarms
