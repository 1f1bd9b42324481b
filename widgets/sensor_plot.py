"""A multi-channel time plot with warning-level limit bands; draws gaps, never interpolates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from backend_client.city import Limits
from backend_client.protocol import LEVEL_COLOURS, Level, Quality

CURVE_COLOURS = ("#4fc3f7", "#aed581", "#ffb74d", "#ba68c8", "#e57373", "#4db6ac", "#fff176")
ROMAN = {Level.I: "I", Level.II: "II", Level.III: "III", Level.IV: "IV"}


@dataclass(frozen=True, slots=True)
class CurveSpec:
    """What one curve shows: its channel, label and unit."""

    channel: int
    label: str
    unit: str


def display_values(values: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Values with every non-good sample turned into NaN, so connect='finite' leaves a gap."""
    shown = values.astype(np.float64, copy=True)
    shown[quality != Quality.GOOD] = np.nan
    return shown


class SensorPlot(pg.PlotWidget):
    """Curves share one local-time axis; pyqtgraph's peak downsampling keeps frames per-pixel."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent=parent, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.setBackground("#0e141b")
        self.showGrid(x=True, y=True, alpha=0.25)
        self.getAxis("left").enableAutoSIPrefix(False)  # "%LEL (x0.001)" helps nobody
        self.getPlotItem().setClipToView(True)
        self._legend = self.addLegend(offset=(8, 8), labelTextColor="#dfe6ee")
        self._curves: dict[int, pg.PlotDataItem] = {}
        self._bad_markers: dict[int, pg.ScatterPlotItem] = {}
        self._bands: list[pg.GraphicsObject] = []
        self._specs: list[CurveSpec] = []

    def set_curves(self, specs: list[CurveSpec], limits: Limits | None) -> None:
        """Replace the curves; limit bands follow the first curve's limits."""
        for item in (*self._curves.values(), *self._bad_markers.values()):
            self.removeItem(item)
        self._legend.clear()
        self._curves.clear()
        self._bad_markers.clear()
        self._specs = list(specs)
        for i, spec in enumerate(specs):
            colour = CURVE_COLOURS[i % len(CURVE_COLOURS)]
            curve = self.plot(
                name=f"{spec.label} [{spec.unit}]",
                pen=pg.mkPen(colour, width=2 if i == 0 else 1.5),
                connect="finite",
            )
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self._curves[spec.channel] = curve
            marker = pg.ScatterPlotItem(symbol="x", size=9, pen=pg.mkPen("#ff4dff", width=2))
            self.addItem(marker)
            self._bad_markers[spec.channel] = marker
        units = sorted({s.unit for s in specs})
        self.setLabel("left", " / ".join(units))
        self._draw_limits(limits)

    def _draw_limits(self, limits: Limits | None) -> None:
        for item in self._bands:
            self.removeItem(item)
        self._bands = []
        if limits is None:
            return
        for side, sign in ((limits.high, 1.0), (limits.low, -1.0)):
            levels = [(Level(i + 1), v) for i, v in enumerate(side) if v is not None]
            for k, (level, value) in enumerate(levels):
                colour = QColor(LEVEL_COLOURS[level])
                line = pg.InfiniteLine(
                    pos=value,
                    angle=0,
                    movable=False,
                    pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine),
                    label=f"{ROMAN[level]} {value:g}",
                    labelOpts={"position": 0.02, "color": colour, "anchors": [(0, 1), (0, 1)]},
                )
                # the band runs from this threshold to the next more severe one (or beyond)
                beyond = levels[k - 1][1] if k > 0 else value + sign * abs(value) * 0.5 + sign
                low, high = sorted((value, beyond))
                fill = QColor(colour)
                fill.setAlpha(38)
                band = pg.LinearRegionItem(
                    values=(low, high),
                    orientation="horizontal",
                    movable=False,
                    brush=pg.mkBrush(fill),
                    pen=pg.mkPen(None),
                )
                band.setZValue(-10)
                for item in (band, line):
                    self.addItem(item, ignoreBounds=True)
                    self._bands.append(item)

    def update_curve(
        self, channel: int, times_us: np.ndarray, values: np.ndarray, quality: np.ndarray
    ) -> None:
        """Show one channel's samples; bad-quality samples become gaps plus a marker."""
        curve = self._curves.get(channel)
        if curve is None:
            return
        seconds = times_us / 1e6
        curve.setData(seconds, display_values(values, quality), connect="finite")
        bad = (quality != Quality.GOOD) & (quality != Quality.MISSING) & np.isfinite(values)
        marker = self._bad_markers[channel]
        if bad.any():
            marker.setData(seconds[bad], values[bad].astype(np.float64))
        else:
            marker.clear()

    def set_window(self, start_s: float, end_s: float) -> None:
        """Show a fixed time window (follow mode)."""
        self.setXRange(start_s, end_s, padding=0)

    @property
    def channels(self) -> list[int]:
        return [s.channel for s in self._specs]
