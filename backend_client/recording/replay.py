"""Replay: a recording feeds the same ConsoleModel the live client feeds, through the same calls
(set_catalog, set_city, ingest, the alarm book's apply_snapshot / apply_change, set_link), so
views never know which source runs.

Driven by explicit calls only (no wall clock): seek(t) rebuilds the state at t, advance(t)
feeds what happened up to t, tick(elapsed_s) moves a play clock; the Qt timer that calls tick at
display rate belongs to the console. The model is fed on the caller's thread only; while playing,
the next block of recorded time is read on a worker thread (read_ahead.py).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

import numpy as np

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmChange, AlarmRecord, LinkState, TelemetryBatch
from backend_client.recording.read_ahead import ReadAhead, in_time_order
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore

DEFAULT_WINDOW_S = 600.0  # history a seek loads before t (the plots' longest span)
MIN_SPEED, MAX_SPEED = 0.25, 64.0
READ_AHEAD_S = 120.0  # recorded time read at once while playing forward (read_ahead.py)
FEED_SAMPLES = 262_144  # samples per ingest call: bounds how long the buffers' lock is held


class ReplaySource:
    """Feeds a ConsoleModel from a recording over [start_us, end_us]: seek, advance, play clock."""

    def __init__(
        self,
        store: RecordingStore,
        model: ConsoleModel,
        start_us: int | None = None,
        end_us: int | None = None,
        window_s: float = DEFAULT_WINDOW_S,
    ) -> None:
        self.reader = RecordingReader(store)
        self.model = model
        if start_us is None or end_us is None:
            span = self.reader.time_span()
            if span is None:
                raise ValueError("the recording holds no samples: give start_us and end_us")
            start_us = span[0] if start_us is None else start_us
            end_us = span[1] if end_us is None else end_us
        self.start_us, self.end_us = int(start_us), int(end_us)
        if self.end_us < self.start_us:
            raise ValueError(f"replay ends ({self.end_us}) before it starts ({self.start_us})")
        self.window_us = int(window_s * 1e6)
        self.now_us = self.start_us
        self.playing = False
        self.speed = 1.0
        self.loop = False
        self._epoch: int | None = None  # the recorded alarm snapshot the book follows
        self._alarm_seq = 0  # the replayed book's own sequence (recorded seqs may have gaps)
        self._raises: list[int] | None = None
        self.ahead = ReadAhead(self.reader, int(READ_AHEAD_S * 1e6))
        self._load_catalog()
        model.set_link(LinkState.REPLAY)
        model.clock = lambda: self.now_us / 1e6  # views draw the replay position as "now"
        self.seek(self.start_us)

    # --- state at an instant and forward from it ---------------------------------------------

    def _load_catalog(self) -> None:
        catalog = self.reader.catalog_at(self.start_us)
        if catalog is None:
            raise ValueError("the recording holds no sensor catalog")
        self.model.set_catalog(*catalog)
        city = self.reader.city_at(self.start_us)
        if city is not None:
            self.model.set_city(city)

    def seek(self, t_us: int) -> int:
        """Reset the model to the state at t (clamped to the range); returns the time reached."""
        t_us = min(max(int(t_us), self.start_us), self.end_us)
        m = self.model
        m.reset_buffers()  # the history before t only
        self.ahead.drop()
        lo = max(t_us - self.window_us, self.start_us)
        self._feed(in_time_order(self.reader.samples(None, lo, t_us + 1)))
        self._reset_alarms(t_us)
        self.now_us = t_us
        if self.playing:
            self.ahead.prime(t_us, self.end_us, self._epoch)
        return t_us

    def advance(self, to_us: int) -> int:
        """Feed samples and alarm changes with now < time <= to, in time order; a time before
        now seeks instead. Returns the time reached (to, clamped to the range)."""
        to_us = min(int(to_us), self.end_us)
        if to_us < self.now_us:
            return self.seek(to_us)
        if to_us == self.now_us:
            return to_us
        ahead = self.ahead.block_for(self.now_us, to_us, self.end_us, self._epoch, self.playing)
        part = _between(ahead.samples, self.now_us, to_us)
        if any(self.now_us < t <= to_us for t in ahead.snapshots):  # the live book was resynced
            self._feed(part)
            self._reset_alarms(to_us)
            self.ahead.drop()  # its alarm changes were those of the previous snapshot
        else:
            changes = [a for a in ahead.changes if self.now_us < a.changed_us <= to_us]
            done = 0
            for alarm in changes:  # few: a Python step per alarm change, never per sample
                cut = int(np.searchsorted(part.times_us, alarm.changed_us, side="right"))
                cut = max(done, cut)
                self._feed(part, done, cut)
                done = cut
                self._alarm_seq += 1
                self.model.alarms.apply_change(AlarmChange(self._alarm_seq, alarm))
            self._feed(part, done)
        self.now_us = to_us
        return to_us

    def _reset_alarms(self, t_us: int) -> None:
        self._epoch = self.reader.epoch_at(t_us)
        self._apply_book(self.reader.alarms_at(t_us).values())

    def _apply_book(self, alarms: Iterable[AlarmRecord]) -> None:
        self._alarm_seq += 1
        self.model.alarms.apply_snapshot(self._alarm_seq, alarms)

    def _feed(self, batch: TelemetryBatch, lo: int = 0, hi: int | None = None) -> None:
        """Ingest samples lo:hi of a time-ordered batch in bounded slices."""
        hi = len(batch) if hi is None else hi
        for a in range(lo, hi, FEED_SAMPLES):
            self.model.ingest(_slice(batch, a, min(hi, a + FEED_SAMPLES)))

    # --- the play clock ------------------------------------------------------------------------

    def play(self) -> None:
        if self.now_us >= self.end_us and not self.loop:
            self.seek(self.start_us)
        self.playing = True
        self.ahead.prime(self.now_us, self.end_us, self._epoch)

    def pause(self) -> None:
        self.playing = False

    def set_speed(self, speed: float) -> None:
        """Recorded seconds per second of wall time, 0.25x to 64x."""
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"replay speed must be {MIN_SPEED}x to {MAX_SPEED}x, got {speed}x")
        self.speed = float(speed)

    def tick(self, elapsed_s: float) -> int:
        """Move the clock by elapsed_s of wall time at the current speed (when playing); at the
        end it stops, or with loop starts over. Returns the replay time."""
        if not self.playing or elapsed_s <= 0:
            return self.now_us
        target = self.now_us + round(elapsed_s * self.speed * 1e6)
        if target <= self.end_us:
            return self.advance(target)
        self.advance(self.end_us)
        if self.loop:
            return self.seek(self.start_us)
        self.playing = False
        return self.now_us

    # --- stepping between alarms ---------------------------------------------------------------

    def raise_times(self) -> list[int]:
        """Times alarms were raised within the range, ascending (read once)."""
        if self._raises is None:
            self._raises = self.reader.raise_times(self.start_us, self.end_us)
        return self._raises

    def step_next_alarm(self) -> int | None:
        """Go to the next alarm raise after now; None (staying put) when there is none."""
        times = self.raise_times()
        i = bisect.bisect_right(times, self.now_us)
        if i == len(times):
            return None
        near = times[i] - self.now_us <= self.window_us  # else a seek reads less than advance
        return self.advance(times[i]) if near else self.seek(times[i])

    def step_previous_alarm(self) -> int | None:
        """Go to the latest alarm raise before now; None (staying put) when there is none."""
        times = self.raise_times()
        i = bisect.bisect_left(times, self.now_us)
        return self.seek(times[i - 1]) if i > 0 else None


def _between(block: TelemetryBatch, after_us: int, to_us: int) -> TelemetryBatch:
    """The samples of a time-ordered block with after < time <= to."""
    lo = int(np.searchsorted(block.times_us, after_us, side="right"))
    hi = int(np.searchsorted(block.times_us, to_us, side="right"))
    return _slice(block, lo, hi)


def _slice(batch: TelemetryBatch, lo: int, hi: int) -> TelemetryBatch:
    return TelemetryBatch(
        "replay",
        0,
        batch.channels[lo:hi],
        batch.times_us[lo:hi],
        batch.values[lo:hi],
        batch.quality[lo:hi],
    )
