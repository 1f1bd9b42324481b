"""When alarms were raised: flood detection (ISA-18.2: >10 in 10 min) and first-out per burst."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

FLOOD_ALARMS = 10  # a flood is MORE than this many alarms raised within FLOOD_WINDOW_US
FLOOD_WINDOW_US = 600_000_000
BURST_GAP_US = 60_000_000  # a raise within a minute of the previous one joins its burst
MIN_BURST = 3  # fewer raises than this are not a burst, so nothing is marked first-out
HISTORY_US = 24 * 3600 * 1_000_000
MAX_HISTORY = 100_000


class RaiseHistory:
    """Every (alarm id, raise time) seen, cleared alarms included, bounded in age and size."""

    def __init__(
        self,
        flood_alarms: int = FLOOD_ALARMS,
        flood_window_us: int = FLOOD_WINDOW_US,
        burst_gap_us: int = BURST_GAP_US,
        min_burst: int = MIN_BURST,
    ) -> None:
        self.flood_alarms = flood_alarms
        self.flood_window_us = flood_window_us
        self.burst_gap_us = burst_gap_us
        self.min_burst = min_burst
        self._seen: set[tuple[str, int]] = set()
        self._times = np.zeros(0, dtype=np.int64)  # sorted
        self._ids = np.zeros(0, dtype=object)
        self._first_out: frozenset[tuple[str, int]] = frozenset()

    def add(self, raises: Iterable[tuple[str, int]]) -> bool:
        """Record raises (id, raised_us); True when any was new."""
        new = [r for r in raises if r not in self._seen]
        if not new:
            return False
        self._seen.update(new)
        times = np.concatenate([self._times, np.fromiter((t for _, t in new), np.int64, len(new))])
        ids = np.concatenate([self._ids, np.array([i for i, _ in new], dtype=object)])
        order = np.argsort(times, kind="stable")
        self._times, self._ids = times[order], ids[order]
        self._prune()
        self._first_out = self._find_first_out()
        return True

    def _prune(self) -> None:
        keep = self._times >= self._times[-1] - HISTORY_US
        if keep.sum() > MAX_HISTORY:
            keep[: len(keep) - MAX_HISTORY] = False
        if not keep.all():
            self._times, self._ids = self._times[keep], self._ids[keep]
            self._seen = set(zip(self._ids.tolist(), self._times.tolist(), strict=True))

    def _find_first_out(self) -> frozenset[tuple[str, int]]:
        """The earliest raise of every burst of at least min_burst raises, vectorised."""
        n = len(self._times)
        if n < self.min_burst:
            return frozenset()
        starts = np.flatnonzero(
            np.diff(self._times, prepend=self._times[0] - self.burst_gap_us - 1) > self.burst_gap_us
        )
        sizes = np.diff(np.append(starts, n))
        firsts = starts[sizes >= self.min_burst]
        return frozenset(zip(self._ids[firsts].tolist(), self._times[firsts].tolist(), strict=True))

    def is_first_out(self, alarm_id: str, raised_us: int) -> bool:
        return (alarm_id, raised_us) in self._first_out

    @property
    def first_out(self) -> frozenset[tuple[str, int]]:
        return self._first_out

    def raised_within(self, now_us: int, window_us: int | None = None) -> int:
        """How many raises fall in the window ending at now_us (a replay sent back in time has
        seen raises after now_us: they do not count)."""
        window = self.flood_window_us if window_us is None else window_us
        end = int(np.searchsorted(self._times, now_us, side="right"))
        return end - int(np.searchsorted(self._times, now_us - window, side="left"))

    def flooding(self, now_us: int) -> bool:
        return self.raised_within(now_us) > self.flood_alarms
