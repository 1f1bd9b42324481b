"""Cursor readout: every curve's value at one time, nearest sample, a dash in a gap."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from widgets.theme import active_theme
from widgets.vocabulary import time_of_day

GAP = "—"


def nearest_value(times_s: np.ndarray, values: np.ndarray, t_s: float) -> float:
    """Value of the sample nearest t_s (NaN when there is none or it is a gap)."""
    if times_s.size == 0:
        return float("nan")
    i = int(np.searchsorted(times_s, t_s))
    candidates = [k for k in (i - 1, i) if 0 <= k < times_s.size]
    k = min(candidates, key=lambda j: abs(times_s[j] - t_s))
    return float(values[k])


def format_value(value: float, unit: str) -> str:
    return GAP if not np.isfinite(value) else f"{value:.4g} {unit}"


def format_time(t_s: float) -> str:
    return time_of_day(t_s)


class CursorLine(pg.InfiniteLine):
    """A vertical line that follows the mouse over the plot's view box."""

    def __init__(self) -> None:
        pen = pg.mkPen(active_theme().qcolor("plot.cursor"), width=1)
        super().__init__(angle=90, movable=False, pen=pen)
        self.setZValue(20)
        self.hide()
