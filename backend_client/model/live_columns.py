"""A live curve's samples with min/max pixel columns kept up to date as data arrives.

A completed column never changes, so a frame folds in only the samples that arrived since the
last one: its cost is the new samples plus the pixel width, never the buffer length. No Qt here.
"""

from __future__ import annotations

import numpy as np


class Rows:
    """Equal-length float rows with amortised appends at the end and O(1) drops at the front."""

    def __init__(self, n_rows: int, initial: int = 256) -> None:
        self._a = np.empty((n_rows, initial))
        self.lo = 0
        self.hi = 0

    def __len__(self) -> int:
        return self.hi - self.lo

    def view(self) -> np.ndarray:
        return self._a[:, self.lo : self.hi]

    def extend(self, *rows: np.ndarray | float) -> None:
        """Append one array (or a scalar fill) per row, all of the first one's length."""
        k = len(rows[0])
        if self.hi + k > self._a.shape[1]:
            n = len(self)
            grown = np.empty((self._a.shape[0], max(2 * (n + k), 256)))
            grown[:, :n] = self.view()
            self._a, self.lo, self.hi = grown, 0, n
        for i, row in enumerate(rows):
            self._a[i, self.hi : self.hi + k] = row
        self.hi += k

    def drop_front(self, k: int) -> None:
        self.lo = min(self.lo + max(k, 0), self.hi)

    def clear(self) -> None:
        self.lo = self.hi = 0


class LiveColumns:
    """Time-ordered samples (seconds, display values with NaN gaps, bad-quality marks)."""

    def __init__(self) -> None:
        self._samples = Rows(3)  # t, y, bad-quality value (NaN when good)
        self._marks = Rows(2)  # t, value of the bad-quality samples only, for quick lookup
        self._cols = Rows(2)  # min, max of each complete column since column _k0
        self._step: float | None = None
        self._k0 = 0
        self._dropped = 0  # samples ever dropped from the front
        self._folded = 0  # absolute index of the first sample not yet in a column
        self.columns_key: tuple[float, int, float, int] | None = None  # last column-mode output
        self._open: tuple[float, int, int, float, float] | None = None  # step, k, scanned, lo, hi

    @property
    def t(self) -> np.ndarray:
        return self._samples.view()[0]

    @property
    def y(self) -> np.ndarray:
        return self._samples.view()[1]

    @property
    def marks(self) -> np.ndarray:
        return self._samples.view()[2]

    def __len__(self) -> int:
        return len(self._samples)

    def replace(self, t: np.ndarray, y: np.ndarray, marks: np.ndarray | None = None) -> None:
        """Start again from these samples (a reload, or a reader that fell behind)."""
        self._samples.clear()
        self._marks.clear()
        self._dropped = self._folded = 0
        self._step = None
        self.columns_key = self._open = None
        self.extend(t, y, marks)

    def extend(self, t: np.ndarray, y: np.ndarray, marks: np.ndarray | None = None) -> None:
        """Append newer samples (marks None: all good); an out-of-order batch reloads sorted."""
        if t.size == 0:
            return
        if (len(self) and t[0] < self.t[-1]) or (t.size > 1 and (np.diff(t) < 0).any()):
            old = self._samples.view()
            order = np.argsort(np.concatenate([old[0], t]), kind="stable")
            new = np.vstack([t, y, np.full(t.size, np.nan) if marks is None else marks])
            self.replace(*np.hstack([old, new])[:, order])
            return
        self._samples.extend(t, y, np.nan if marks is None else marks)
        if marks is not None:
            bad = np.flatnonzero(np.isfinite(marks))
            if bad.size:
                self._marks.extend(t[bad], marks[bad])

    def keep_newest(self, n: int) -> None:
        """Hold about n samples (at most an eighth more), as the ring buffer it mirrors does."""
        extra = len(self) - n
        if extra <= min(n // 8, 4096):  # drop in chunks: a frame's few samples cost nothing
            return
        cut = self.t[extra]
        self._samples.drop_front(extra)
        self._dropped += extra
        mt = self._marks.view()[0]
        self._marks.drop_front(int(np.searchsorted(mt, cut, side="left")))
        if self._folded < self._dropped:
            self._step = None  # unfolded samples left: rebuild the columns when next asked
        elif self._step is not None:
            first = int(np.floor(cut / self._step))
            if first > self._k0:
                self._cols.drop_front(first - self._k0)
                self._k0 = first

    def has_marks(self) -> bool:
        return len(self._marks) > 0

    def marks_in(self, t0: float, t1: float, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Bad-quality samples inside [t0, t1], the newest `limit`."""
        mt, mv = self._marks.view()
        lo, hi = np.searchsorted(mt, [t0, t1], side="left")
        lo = max(int(lo), int(hi) - limit)
        return mt[lo:hi].copy(), mv[lo:hi].copy()

    def decimated(self, t0: float, columns: int, step: float) -> tuple[np.ndarray, np.ndarray]:
        """Raw samples when they fit in 2 x columns points, else min/max of each column.

        Columns sit on multiples of `step` from t0 (itself a multiple); an inner column without a
        finite sample is NaN, so the line breaks there and is never drawn across a gap.
        """
        t, y = self._samples.view()[:2]
        if t.size == 0 or not step > 0:
            return np.zeros(0), np.zeros(0)
        t1 = t0 + columns * step
        i0, i1 = (int(i) for i in np.searchsorted(t, [t0, t1], side="left"))
        if i1 - i0 <= 2 * columns:
            self.columns_key = None
            window = slice(max(i0 - 1, 0), min(i1 + 1, t.size))
            return t[window].copy(), y[window].copy()
        tail_start, last = self._fold(step)
        self.columns_key = (step, last, t0, columns)
        k_first = round(t0 / step)
        k_end = k_first + columns
        lo, hi = max(k_first, self._k0), min(k_end, last)
        mins = np.full(max(hi - lo, 0) + 1, np.nan)
        maxs = mins.copy()
        cols = self._cols.view()
        have = cols[:, max(lo - self._k0, 0) : max(hi - self._k0, 0)]
        mins[: have.shape[1]], maxs[: have.shape[1]] = have
        if k_first <= last < k_end:  # the newest, still open column
            tail = y[tail_start:]
            finite = tail[np.isfinite(tail)]
            if finite.size:
                mins[-1], maxs[-1] = finite.min(), finite.max()
        else:
            mins, maxs = mins[:-1], maxs[:-1]
        used = np.flatnonzero(np.isfinite(mins))
        if used.size == 0:
            return np.zeros(0), np.zeros(0)
        a, b = int(used[0]), int(used[-1]) + 1
        x = np.repeat((np.arange(lo + a, lo + b) + 0.5) * step, 2)
        out = np.empty(2 * (b - a))
        out[0::2], out[1::2] = mins[a:b], maxs[a:b]
        return x, out

    def open_extent(self, step: float) -> tuple[int, float, float]:
        """(index, finite min, finite max) of the newest column, scanning only new samples."""
        t, y = self._samples.view()[:2]
        k = int(np.floor(t[-1] / step))
        if self._open is not None and self._open[:2] == (step, k):
            _step, _k, scanned, lo, hi = self._open
            start = scanned - self._dropped
        else:
            start = int(np.searchsorted(t, k * step, side="left"))
            lo, hi = np.inf, -np.inf
        seg = y[start:]
        finite = seg[np.isfinite(seg)]
        if finite.size:
            lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
        self._open = (step, k, self._dropped + t.size, lo, hi)
        return k, lo, hi

    def _fold(self, step: float) -> tuple[int, int]:
        """Fold every complete column into the cache; (first index of the open column, its k)."""
        t, y = self._samples.view()[:2]
        if self._step != step:
            self._step = step
            self._cols.clear()
            self._k0 = int(np.floor(t[0] / step))
            self._folded = self._dropped
        last = int(np.floor(t[-1] / step))
        start = self._folded - self._dropped
        stop = int(np.searchsorted(t, last * step, side="left"))
        if stop > start:
            k = np.floor(t[start:stop] / step).astype(np.int64)
            first = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
            seg = y[start:stop]
            finite = np.isfinite(seg)
            lows = np.minimum.reduceat(np.where(finite, seg, np.inf), first)
            highs = np.maximum.reduceat(np.where(finite, seg, -np.inf), first)
            n_done = self._k0 + len(self._cols)
            width = int(k[-1]) - n_done + 1
            rows = np.full((2, width), np.nan)
            at = k[first] - n_done
            rows[0, at] = np.where(np.isfinite(lows), lows, np.nan)
            rows[1, at] = np.where(np.isfinite(highs), highs, np.nan)
            self._cols.extend(*rows)
            self._folded = self._dropped + stop
        return stop, last
