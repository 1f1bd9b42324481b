"""One curve's samples as fetched history plus the live buffer, decimated for drawing.

Columns sit on multiples of the column width, so neither part is decimated anew each frame:
history's columns are computed once per width, the live part folds in only what arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backend_client.model.decimate import minmax_decimate
from backend_client.model.live_columns import LiveColumns
from backend_client.model.ring_buffer import Series
from backend_client.protocol import Quality


def display_values(values: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Values with every non-good sample turned into NaN, so connect='finite' leaves a gap."""
    shown = values.astype(np.float64, copy=True)
    shown[quality != Quality.GOOD] = np.nan
    return shown


def display_arrays(series: Series) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(seconds, display values with NaN gaps, bad-quality values or None when all are good)."""
    t = series.times_us / 1e6
    values, quality = series.values, series.quality
    if not quality.any():  # all GOOD (code 0): the common case, a single pass
        return t, values.astype(np.float64), None
    bad = (quality != Quality.GOOD) & (quality != Quality.MISSING) & np.isfinite(values)
    return t, display_values(values, quality), np.where(bad, values, np.nan).astype(np.float64)


@dataclass
class Part:
    """Samples in seconds, display values (NaN gaps) and bad-quality marker values."""

    t: np.ndarray
    y: np.ndarray
    marks: np.ndarray
    _cache: tuple[float, np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, series: Series) -> Part:
        t, y, marks = display_arrays(series)
        return cls(t, y, np.full(t.size, np.nan) if marks is None else marks)

    @classmethod
    def empty(cls) -> Part:
        return cls(np.zeros(0), np.zeros(0), np.zeros(0))

    def columns(self, step: float) -> tuple[np.ndarray, np.ndarray]:
        """Min/max over all samples on columns aligned to multiples of step (cached per step)."""
        if self._cache is None or self._cache[0] != step:
            if self.t.size == 0 or not step > 0:
                x, y = self.t, self.y
            else:
                a = np.floor(self.t[0] / step) * step
                n = int(np.ceil((self.t[-1] - a) / step)) + 1
                if self.t.size <= 2 * n:
                    x, y = self.t, self.y
                else:
                    x, y = minmax_decimate(self.t, self.y, a, a + n * step, n)
            self._cache = (step, x, y)
        return self._cache[1], self._cache[2]


class CurveData:
    """History strictly older than the live buffer's oldest sample, then the live samples."""

    def __init__(self) -> None:
        self.history = Part.empty()
        self.live = LiveColumns()
        self._history_source: Series | None = None
        self._history_marked = False

    def set(self, live: Series, history: Series | None) -> None:
        """Replace the live samples (a first load, or a reader that fell behind the ring)."""
        self.live.replace(*display_arrays(live))
        self.set_history(history)

    def extend(self, new: Series, keep: int, history: Series | None) -> bool:
        """Append newly arrived live samples, holding at most `keep` like the ring does.

        False when nothing changed (no new sample, same history): nothing to redraw.
        """
        if new.times_us.size:
            self.live.extend(*display_arrays(new))
            self.live.keep_newest(keep)
        return self.set_history(history) or bool(new.times_us.size)

    def set_history(self, history: Series | None) -> bool:
        """Take fetched history; True when it differs from what was held."""
        if history is self._history_source:
            return False
        self._history_source = history
        self.history = Part.empty() if history is None else Part.of(history)
        self._history_marked = bool(np.isfinite(self.history.marks).any())
        return True

    def has_marks(self) -> bool:
        """Whether any bad-quality sample is held (markers are skipped for clean curves)."""
        return self._history_marked or self.live.has_marks()

    def _history_end(self) -> int:
        """How many history samples come before the live part (the rest overlap it)."""
        if self.live.t.size == 0:
            return self.history.t.size
        return int(np.searchsorted(self.history.t, self.live.t[0], side="left"))

    def decimated(self, t0: float, columns: int, step: float) -> tuple[np.ndarray, np.ndarray]:
        """At most ~2 points per column from t0 on; NaN where history and live do not meet."""
        t1 = t0 + columns * step
        lx, ly = self.live.decimated(t0, columns, step)
        end = self._history_end()
        if end == 0 or (self.live.t.size and self.live.t[0] < t0):
            return lx, ly
        hx, hy = self.history.columns(step)
        limit = self.live.t[0] if self.live.t.size else np.inf
        lo = max(int(np.searchsorted(hx, t0 - step, side="left")) - 1, 0)
        hi = int(np.searchsorted(hx, min(t1 + step, limit), side="left"))
        hx, hy = hx[lo:hi], hy[lo:hi]
        if not lx.size:
            return hx, hy
        if hx.size and lx[0] - hx[-1] > max(2 * step, 2 * self._live_interval()):
            hx, hy = np.append(hx, (hx[-1] + lx[0]) / 2), np.append(hy, np.nan)  # a hole
        return np.concatenate([hx, lx]), np.concatenate([hy, ly])

    def open_column(
        self, t0: float, columns: int, step: float
    ) -> tuple[float, float, float] | None:
        """(x, min, max) of the newest column when only it changed since the last decimated()
        on this layout; None when completed columns changed too (decimate again)."""
        key = self.live.columns_key
        if key is None or key[0] != step or key[2:] != (t0, columns) or not len(self.live):
            return None
        k, lo, hi = self.live.open_extent(step)
        if k != key[1] or not (np.isfinite(lo) and np.isfinite(hi)):
            return None
        return (k + 0.5) * step, lo, hi

    def _live_interval(self) -> float:
        t = self.live.t[:17]
        return float(np.median(np.diff(t))) if t.size > 1 else 0.0

    def samples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, y, marks) of history and live together, time-ordered and without duplicates."""
        end = self._history_end()
        h, live = self.history, self.live
        return (
            np.concatenate([h.t[:end], live.t]),
            np.concatenate([h.y[:end], live.y]),
            np.concatenate([h.marks[:end], live.marks]),
        )

    def first_time(self) -> float | None:
        firsts = [p.t[0] for p in (self.history, self.live) if p.t.size]
        return float(min(firsts)) if firsts else None

    def marks_in(self, t0: float, t1: float, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Bad-quality samples inside [t0, t1], the newest `limit`."""
        end = self._history_end()
        h = self.history
        lo, hi = np.searchsorted(h.t[:end], [t0, t1])
        idx = np.flatnonzero(np.isfinite(h.marks[lo:hi])) + lo
        lx, ly = self.live.marks_in(t0, t1, limit)
        return np.concatenate([h.t[idx], lx])[-limit:], np.concatenate([h.marks[idx], ly])[-limit:]
