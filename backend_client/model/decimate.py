"""Min/max decimation to pixel columns: per-frame plot cost follows the screen, not the buffer.

No Qt here. Each pixel column of [t0, t1] keeps its smallest and largest finite value, so every
peak survives; a column without a finite sample becomes NaN, so a line drawn with
connect='finite' breaks there instead of interpolating across a gap.
"""

from __future__ import annotations

import numpy as np


def column_step(span: float, width: int) -> float:
    """Seconds per pixel column, rounded so it stays the same from frame to frame (caches hold)."""
    return float(f"{span / max(int(width), 1):.4g}")


def minmax_decimate(
    times: np.ndarray, values: np.ndarray, t0: float, t1: float, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved (x, y) with the min and max of each of `width` columns over [t0, t1].

    Returns at most 2 * width points; cost is O(samples in range) plus O(width).
    """
    width = max(int(width), 1)
    times = np.asarray(times, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if times.size == 0 or not t1 > t0:
        return np.zeros(0), np.zeros(0)
    lo = int(np.searchsorted(times, t0, side="left"))
    hi = int(np.searchsorted(times, t1, side="right"))
    t, v = times[lo:hi], values[lo:hi]
    if t.size == 0:
        return np.zeros(0), np.zeros(0)
    edges = np.linspace(t0, t1, width + 1)
    # column of each sample; the last edge belongs to the last column
    starts = np.searchsorted(t, edges[:-1], side="left")
    counts = np.diff(np.append(starts, t.size))
    finite = np.isfinite(v)
    lows = np.where(finite, v, np.inf)
    highs = np.where(finite, v, -np.inf)
    filled = counts > 0
    mins = np.full(width, np.nan)
    maxs = np.full(width, np.nan)
    if filled.any():
        at = starts[filled]
        mins[filled] = np.minimum.reduceat(lows, at)
        maxs[filled] = np.maximum.reduceat(highs, at)
    empty = ~np.isfinite(mins)  # no sample, or only NaN samples: a gap
    mins[empty] = np.nan
    maxs[empty] = np.nan
    # columns before the first and after the last sample carry nothing; inner empty ones are gaps
    used = np.flatnonzero(filled)
    first, last = int(used[0]), int(used[-1]) + 1
    x = np.repeat((edges[first:last] + edges[first + 1 : last + 1]) / 2, 2)
    y = np.empty(2 * (last - first))
    y[0::2], y[1::2] = mins[first:last], maxs[first:last]
    return x, y
