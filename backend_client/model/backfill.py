"""History fetched for plot windows wider than the ring buffer, merged with live samples.

No Qt. The cache remembers which spans it asked for (answered or still pending), so a span is
fetched once; what it holds is bounded per channel, newest kept, and a channel no plot has read
for a while is let go (a console that follows every new alarm shows a new channel each time).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from backend_client.model.ring_buffer import Series

MIN_SPAN_US = 2_000_000  # holes shorter than this are not worth a request
# A channel whose history no plot has read (held, merged) for this long is dropped when the cache
# next grows, so what it holds is what is on screen, not every channel ever shown; shown again,
# it is fetched again (one request, as when first shown). A plot reads its channels whenever
# samples arrive, several times a second, so nothing on screen goes idle this long.
IDLE_S = 60.0
# at most this many channels, least recently read dropped first (a 4 x 4 wall grid of six-curve
# panels shows 96)
MAX_CHANNELS = 128


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
    Channels are kept least recently read first; when the cache grows (a request or an answer),
    channels unread for idle_s are dropped, and the least recently read beyond max_channels.
    """

    def __init__(
        self,
        max_samples_per_channel: int = 400_000,
        idle_s: float = IDLE_S,
        max_channels: int = MAX_CHANNELS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_samples = max_samples_per_channel
        self.idle_s = idle_s
        self.max_channels = max_channels
        self.clock = clock
        self._channels: dict[int, _Channel] = {}  # least recently read first
        self._read_s: dict[int, float] = {}  # channel -> when a plot last read it

    def __len__(self) -> int:
        """Channels held (answered or pending)."""
        return len(self._channels)

    def clear(self) -> None:
        self._channels.clear()
        self._read_s.clear()

    def _touch(self, channel: int) -> None:
        """The channel is in use now: last in the eviction order."""
        state = self._channels.pop(channel, None)
        if state is not None:
            self._channels[channel] = state
            self._read_s[channel] = self.clock()

    def _grown(self, channel: int) -> None:
        """Let go of idle channels, then of the least recently read beyond max_channels."""
        self._touch(channel)
        idle_before = self.clock() - self.idle_s
        for old in list(self._channels):
            if old == channel or (
                self._read_s[old] >= idle_before and len(self._channels) <= self.max_channels
            ):
                break  # in read order: every later channel was read more recently
            del self._channels[old], self._read_s[old]

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
        self._grown(channel)

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
        times, first = np.unique(np.asarray(times_us, np.int64), return_index=True)
        vals = np.asarray(values, np.float32)[first]
        qual = np.asarray(quality, np.uint8)[first]
        if not times.size:
            times, vals, qual = old.times_us, old.values, old.quality
        elif not old.times_us.size:
            pass
        elif times[0] > old.times_us[-1]:  # the usual answer: the span the ring just gave up
            times = np.concatenate([old.times_us, times])
            vals = np.concatenate([old.values, vals])
            qual = np.concatenate([old.quality, qual])
        elif times[-1] < old.times_us[0]:  # a wider window: older history
            times = np.concatenate([times, old.times_us])
            vals = np.concatenate([vals, old.values])
            qual = np.concatenate([qual, old.quality])
        else:  # overlapping: what is held wins, sorted, one sample per timestamp
            times = np.concatenate([old.times_us, times])
            vals = np.concatenate([old.values, vals])
            qual = np.concatenate([old.quality, qual])
            times, first = np.unique(times, return_index=True)
            vals, qual = vals[first], qual[first]
        if times.size > self.max_samples:
            cut = times.size - self.max_samples
            # the oldest part is given up, not asked for again: refetching it would only push
            # something else out, every frame
            times, vals, qual = times[cut:], vals[cut:], qual[cut:]
        state.samples = Series(times, vals, qual)
        self._grown(channel)

    def held(self, channel: int) -> Series:
        state = self._channels.get(channel)
        if state is None:
            return _empty()
        self._touch(channel)
        return state.samples

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
