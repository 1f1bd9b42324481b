"""One curve's samples as fetched history plus the live buffer, decimated for drawing.

History changes rarely, so its min/max columns are computed once per column width and reused while
the window scrolls (columns sit on multiples of the width); only the live part is decimated anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backend_client.model.decimate import decimate_for_display, minmax_decimate
from backend_client.model.ring_buffer import Series
from backend_client.protocol import Quality


def display_values(values: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Values with every non-good sample turned into NaN, so connect='finite' leaves a gap."""
    shown = values.astype(np.float64, copy=True)
    shown[quality != Quality.GOOD] = np.nan
    return shown


@dataclass
class Part:
    """Samples in seconds, display values (NaN gaps) and bad-quality marker values."""

    t: np.ndarray
    y: np.ndarray
    marks: np.ndarray
    _cache: tuple[float, np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, series: Series) -> Part:
        values, quality = series.values, series.quality
        bad = (quality != Quality.GOOD) & (quality != Quality.MISSING) & np.isfinite(values)
        return cls(
            np.asarray(series.times_us, dtype=np.int64) / 1e6,
            display_values(values, quality),
            np.where(bad, values, np.nan).astype(np.float64),
        )

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
        self.live = Part.empty()
        self._history_source: Series | None = None

    def set(self, live: Series, history: Series | None) -> None:
        self.live = Part.of(live)
        if history is not self._history_source:
            self._history_source = history
            self.history = Part.empty() if history is None else Part.of(history)

    def _history_end(self) -> int:
        """How many history samples come before the live part (the rest overlap it)."""
        if self.live.t.size == 0:
            return self.history.t.size
        return int(np.searchsorted(self.history.t, self.live.t[0], side="left"))

    def decimated(self, t0: float, columns: int, step: float) -> tuple[np.ndarray, np.ndarray]:
        """At most ~2 points per column from t0 on; NaN where history and live do not meet."""
        t1 = t0 + columns * step
        lx, ly = decimate_for_display(self.live.t, self.live.y, t0, t1, columns)
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
        xs, ys = [], []
        end = self._history_end()
        for part, stop in ((self.history, end), (self.live, self.live.t.size)):
            lo, hi = np.searchsorted(part.t[:stop], [t0, t1])
            idx = np.flatnonzero(np.isfinite(part.marks[lo:hi])) + lo
            xs.append(part.t[idx])
            ys.append(part.marks[idx])
        return np.concatenate(xs)[-limit:], np.concatenate(ys)[-limit:]
