"""Per-channel ring buffers held in one 2D array, so a whole batch appends in a few NumPy ops."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from backend_client.protocol import Quality


@dataclass(frozen=True, slots=True)
class Series:
    """One channel's buffered samples in time order (copies, safe to keep)."""

    times_us: np.ndarray
    values: np.ndarray
    quality: np.ndarray


class ChannelBuffers:
    """Fixed-capacity ring per channel; memory is n_channels x capacity and never grows."""

    def __init__(self, n_channels: int, capacity: int) -> None:
        if n_channels < 0 or capacity < 1:
            raise ValueError(
                f"need n_channels >= 0 and capacity >= 1, got {n_channels}, {capacity}"
            )
        self.n_channels = n_channels
        self.capacity = capacity
        self._times = np.zeros((n_channels, capacity), dtype=np.int64)
        self._values = np.full((n_channels, capacity), np.nan, dtype=np.float32)
        self._quality = np.full((n_channels, capacity), Quality.MISSING, dtype=np.uint8)
        self._written = np.zeros(n_channels, dtype=np.int64)  # samples ever written per channel
        self._lock = threading.Lock()
        self.rejected = 0  # samples naming a channel outside the catalog

    @property
    def nbytes(self) -> int:
        return self._times.nbytes + self._values.nbytes + self._quality.nbytes

    def append(
        self, channels: np.ndarray, times_us: np.ndarray, values: np.ndarray, quality: np.ndarray
    ) -> int:
        """Append a mixed-channel batch (time-ordered per channel); returns samples stored."""
        channels = np.asarray(channels, dtype=np.int64)
        valid = (channels >= 0) & (channels < self.n_channels)
        if not valid.all():
            self.rejected += int((~valid).sum())
            channels, times_us = channels[valid], np.asarray(times_us)[valid]
            values, quality = np.asarray(values)[valid], np.asarray(quality)[valid]
        if channels.size == 0:
            return 0
        times_us, values, quality = np.asarray(times_us), np.asarray(values), np.asarray(quality)
        # Batches usually arrive grouped by channel; sort only when they are not. All work below
        # is O(batch), never O(n_channels).
        order: np.ndarray | None = None
        if channels.size > 1 and (channels[1:] < channels[:-1]).any():
            order = np.argsort(channels, kind="stable")
            channels = channels[order]
        ch = channels
        first = np.flatnonzero(np.concatenate(([True], ch[1:] != ch[:-1])))
        runs = np.diff(np.append(first, ch.size))  # samples per distinct channel
        uniq = ch[first]
        if runs.size == ch.size:  # each channel once: the common case
            rank = np.zeros(ch.size, dtype=np.int64)
        else:
            rank = np.arange(ch.size) - np.repeat(first, runs)
            keep = rank >= np.repeat(runs, runs) - self.capacity  # newest `capacity` matter
            if not keep.all():
                idx = np.flatnonzero(keep)
                order = idx if order is None else order[idx]
                ch, rank = ch[idx], rank[idx]
        if order is not None:
            times_us, values, quality = times_us[order], values[order], quality[order]
        with self._lock:
            pos = (self._written[ch] + rank) % self.capacity
            self._times[ch, pos] = times_us
            self._values[ch, pos] = values
            self._quality[ch, pos] = quality
            self._written[uniq] += runs
        return int(ch.size)

    def series(self, channel: int, since_us: int | None = None) -> Series:
        """The channel's samples oldest first, optionally only those at or after since_us.

        The ring is two time-ordered runs; each is cut by binary search and copied as one
        slice, so the cost is the samples returned, not the capacity.
        """
        cap = self.capacity
        with self._lock:
            written = int(self._written[channel])
            n = min(written, cap)
            start = (written - n) % cap
            runs = [(start, min(start + n, cap)), (0, max(0, start + n - cap))]
            times_row = self._times[channel]
            pieces = []
            for lo, hi in runs:
                if hi <= lo:
                    continue
                if since_us is not None:
                    lo += int(np.searchsorted(times_row[lo:hi], since_us, side="left"))
                pieces.append(slice(lo, hi))
            times = _gather(times_row, pieces)
            values = _gather(self._values[channel], pieces)
            quality = _gather(self._quality[channel], pieces)
        return Series(times, values, quality)

    def newer(self, channel: int, seen: int) -> tuple[Series, int, bool]:
        """Samples written after the first `seen`, the count written now, and whether none of
        them was overwritten before this read (False: the reader missed some and must reload).
        """
        cap = self.capacity
        with self._lock:
            written = int(self._written[channel])
            complete = 0 <= seen <= written and written - seen <= cap
            first = max(seen if complete else 0, written - cap)
            n = written - first
            start = first % cap
            pieces = [slice(start, min(start + n, cap))]
            if start + n > cap:
                pieces.append(slice(0, start + n - cap))
            pieces = [p for p in pieces if p.stop > p.start]
            series = Series(
                _gather(self._times[channel], pieces),
                _gather(self._values[channel], pieces),
                _gather(self._quality[channel], pieces),
            )
        return series, written, complete

    def oldest_time(self, channel: int) -> int | None:
        """Time of the oldest sample still held for a channel (None when it has none)."""
        with self._lock:
            written = int(self._written[channel])
            if written == 0:
                return None
            return int(
                self._times[channel, (written - min(written, self.capacity)) % self.capacity]
            )

    def latest(self) -> Series:
        """Every channel's newest sample (time 0 and MISSING where none yet)."""
        with self._lock:
            pos = (self._written - 1) % self.capacity
            rows = np.arange(self.n_channels)
            times = self._times[rows, pos]
            values = self._values[rows, pos]
            quality = self._quality[rows, pos]
            empty = self._written == 0
        times = np.where(empty, 0, times)
        quality = np.where(empty, np.uint8(Quality.MISSING), quality)
        return Series(times, values, quality)

    def counts(self) -> np.ndarray:
        """Samples ever written per channel."""
        with self._lock:
            return self._written.copy()


def _gather(row: np.ndarray, pieces: list[slice]) -> np.ndarray:
    """Copy the given runs of one ring row into a new array, oldest first."""
    if len(pieces) == 1:
        return row[pieces[0]].copy()
    if not pieces:
        return row[:0].copy()
    return np.concatenate([row[p] for p in pieces])
