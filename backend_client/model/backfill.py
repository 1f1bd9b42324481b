"""History fetched for plot windows wider than the ring buffer, merged with live samples.

No Qt. The cache remembers which spans it asked for (answered or still pending), so a span is
fetched once; what it holds is bounded per channel, newest kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backend_client.model.ring_buffer import Series

MIN_SPAN_US = 2_000_000  # holes shorter than this are not worth a request


def _empty() -> Series:
    return Series(np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.uint8))


def _subtract(span: tuple[int, int], covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of span not inside any covered interval."""
    parts = [span]
    for c0, c1 in covered:
        nxt = []
        for a, b in parts:
            if c1 <= a or c0 >= b:
                nxt.append((a, b))
                continue
            if a < c0:
                nxt.append((a, c0))
            if c1 < b:
                nxt.append((c1, b))
        parts = nxt
    return parts


@dataclass
class _Channel:
    samples: Series = field(default_factory=_empty)
    covered: list[tuple[int, int]] = field(default_factory=list)  # answered or pending


class BackfillCache:
    """Per-channel fetched history; `missing` says what to ask for, `merged` what to draw.

    400,000 samples a channel (about 5 MB) hold a day of a 1 Hz channel or 11 h of a 10 Hz one.
    """

    def __init__(self, max_samples_per_channel: int = 400_000) -> None:
        self.max_samples = max_samples_per_channel
        self._channels: dict[int, _Channel] = {}

    def clear(self) -> None:
        self._channels.clear()

    def missing(self, channel: int, t0_us: int, t1_us: int) -> list[tuple[int, int]]:
        """Spans of [t0, t1) neither held, nor asked for already."""
        if t1_us - t0_us < MIN_SPAN_US:
            return []
        state = self._channels.get(channel)
        covered = state.covered if state else []
        return [(a, b) for a, b in _subtract((t0_us, t1_us), covered) if b - a >= MIN_SPAN_US]

    def mark_requested(self, channel: int, t0_us: int, t1_us: int) -> None:
        """Remember a span as asked for, so it is not asked again while the answer travels."""
        state = self._channels.setdefault(channel, _Channel())
        state.covered.append((t0_us, t1_us))

    def forget_request(self, channel: int, t0_us: int, t1_us: int) -> None:
        """A request failed: let the span be asked for again later."""
        state = self._channels.get(channel)
        if state and (t0_us, t1_us) in state.covered:
            state.covered.remove((t0_us, t1_us))

    def add(
        self,
        channel: int,
        times_us: np.ndarray,
        values: np.ndarray,
        quality: np.ndarray,
    ) -> None:
        """Store fetched samples, dropping any time already held; keeps the newest max_samples."""
        state = self._channels.setdefault(channel, _Channel())
        old = state.samples
        times = np.concatenate([old.times_us, np.asarray(times_us, np.int64)])
        vals = np.concatenate([old.values, np.asarray(values, np.float32)])
        qual = np.concatenate([old.quality, np.asarray(quality, np.uint8)])
        times, first = np.unique(times, return_index=True)  # sorted, one sample per timestamp
        vals, qual = vals[first], qual[first]
        if times.size > self.max_samples:
            cut = times.size - self.max_samples
            # the oldest part is given up, not asked for again: refetching it would only push
            # something else out, every frame
            times, vals, qual = times[cut:], vals[cut:], qual[cut:]
        state.samples = Series(times, vals, qual)

    def held(self, channel: int) -> Series:
        state = self._channels.get(channel)
        return state.samples if state else _empty()

    def merged(self, channel: int, live: Series) -> Series:
        """Fetched samples older than the live buffer's oldest, then the live samples."""
        cached = self.held(channel)
        if cached.times_us.size == 0:
            return live
        if live.times_us.size == 0:
            return cached
        n = int(np.searchsorted(cached.times_us, live.times_us[0], side="left"))
        if n == 0:
            return live
        return Series(
            np.concatenate([cached.times_us[:n], live.times_us]),
            np.concatenate([cached.values[:n], live.values]),
            np.concatenate([cached.quality[:n], live.quality]),
        )
