"""Bounded per-channel sample history for history requests: vectorised ring buffers.

Channels are grouped by capacity (span x rate), one 2-D array per group, so a 10 Hz accelerometer
keeps 72,000 samples and a 0.2 Hz gauge 1,440 without padding everyone to the largest. When the
whole store would exceed its memory budget, every capacity is scaled down alike (a shorter span).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from backend_client.protocol import QUALITY_DTYPE, TIME_DTYPE, VALUE_DTYPE

BYTES_PER_SAMPLE = TIME_DTYPE.itemsize + VALUE_DTYPE.itemsize + QUALITY_DTYPE.itemsize


class _Ring:
    """Ring buffers of one capacity for a group of channels (one row per channel)."""

    def __init__(self, rows: int, capacity: int) -> None:
        self.capacity = capacity
        self.times = np.zeros((rows, capacity), dtype=TIME_DTYPE)
        self.values = np.zeros((rows, capacity), dtype=VALUE_DTYPE)
        self.quality = np.zeros((rows, capacity), dtype=QUALITY_DTYPE)
        self.head = np.zeros(rows, dtype=np.int64)  # next slot to write
        self.count = np.zeros(rows, dtype=np.int64)

    def append(self, rows: np.ndarray, t: np.ndarray, v: np.ndarray, q: np.ndarray) -> None:
        """Append one sample to each of rows (rows must be unique)."""
        slot = self.head[rows]
        self.times[rows, slot] = t
        self.values[rows, slot] = v
        self.quality[rows, slot] = q
        self.head[rows] = (slot + 1) % self.capacity
        self.count[rows] = np.minimum(self.count[rows] + 1, self.capacity)

    def read(self, row: int, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One row's samples with t0 <= time < t1, oldest first."""
        n, head = int(self.count[row]), int(self.head[row])
        order = (np.arange(head - n, head)) % self.capacity
        times = self.times[row, order]
        lo, hi = np.searchsorted(times, t0, "left"), np.searchsorted(times, t1, "left")
        sel = order[lo:hi]
        return times[lo:hi], self.values[row, sel], self.quality[row, sel]


class HistoryStore:
    """The last span_s seconds of every channel, within a memory budget."""

    def __init__(
        self,
        rates_hz: Sequence[float] | np.ndarray,
        span_s: float = 7200.0,
        budget_bytes: int = 256 * 1024 * 1024,
    ) -> None:
        rates = np.asarray(rates_hz, dtype=float)
        capacity = np.maximum(1, np.ceil(span_s * rates)).astype(np.int64)
        total = int(capacity.sum()) * BYTES_PER_SAMPLE
        if total > budget_bytes:
            capacity = np.maximum(1, capacity * budget_bytes // total)
        self.n_channels = rates.shape[0]
        self.span_s = span_s * min(1.0, budget_bytes / max(total, 1))
        self.group = np.zeros(self.n_channels, dtype=np.intp)
        self.row = np.zeros(self.n_channels, dtype=np.intp)
        self.rings: list[_Ring] = []
        for g, cap in enumerate(np.unique(capacity)):
            members = np.flatnonzero(capacity == cap)
            self.group[members] = g
            self.row[members] = np.arange(members.size)
            self.rings.append(_Ring(members.size, int(cap)))

    def append(
        self, channels: np.ndarray, times_us: np.ndarray, values: np.ndarray, quality: np.ndarray
    ) -> None:
        """Store a batch; a channel may appear several times (in time order)."""
        ch = np.asarray(channels, dtype=np.intp)
        if ch.size == 0:
            return
        t = np.asarray(times_us, dtype=TIME_DTYPE)
        v = np.asarray(values, dtype=VALUE_DTYPE)
        q = np.asarray(quality, dtype=QUALITY_DTYPE)
        order = np.argsort(ch, kind="stable")
        first = np.r_[True, ch[order][1:] != ch[order][:-1]]
        starts = np.maximum.accumulate(np.where(first, np.arange(ch.size), 0))
        rank = np.empty(ch.size, dtype=np.intp)
        rank[order] = np.arange(ch.size) - starts
        groups = self.group[ch]
        for r in range(int(rank.max()) + 1):
            for g in np.unique(groups[rank == r]):
                sel = (rank == r) & (groups == g)
                self.rings[g].append(self.row[ch[sel]], t[sel], v[sel], q[sel])

    def _read(self, channel: int, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.rings[self.group[channel]].read(int(self.row[channel]), t0, t1)

    def query(
        self, channels: Sequence[int], t0: int, t1: int, max_samples: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(channels, times_us, values, quality) for t0 <= t < t1, grouped by channel in order.

        Raises ValueError when the answer would exceed max_samples.
        """
        parts = [self._read(int(c), t0, t1) for c in channels]
        total = sum(len(p[0]) for p in parts)
        if max_samples is not None and total > max_samples:
            raise ValueError(
                f"history request covers {total} samples, limit {max_samples}; "
                "ask for fewer channels or a shorter span"
            )
        ch = np.repeat(np.asarray(channels, dtype=np.uint32), [len(p[0]) for p in parts])
        if not parts:
            return ch, np.zeros(0, TIME_DTYPE), np.zeros(0, VALUE_DTYPE), np.zeros(0, QUALITY_DTYPE)
        return (
            ch,
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
        )
