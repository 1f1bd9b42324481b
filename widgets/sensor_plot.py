"""A multi-channel time plot: limit bands, one y axis per unit, pause and a cursor readout."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPixmapCache
from PySide6.QtWidgets import QGraphicsItem

from backend_client.city import Limits
from backend_client.model.decimate import column_step
from backend_client.model.ring_buffer import Series
from backend_client.protocol import Level
from widgets.plot_autoscale import YAutoscale
from widgets.plot_axes import TimeViewBox, UnitAxes, style_axis
from widgets.plot_cursor import CursorLine, format_time, format_value, nearest_value
from widgets.plot_path import CurvePath
from widgets.plot_series import CurveData, display_values
from widgets.theme import CURVES, active_theme

__all__ = ["CurveSpec", "SensorPlot", "display_values"]  # display_values moved; still importable

ROMAN = {Level.I: "I", Level.II: "II", Level.III: "III", Level.IV: "IV"}


@dataclass(frozen=True, slots=True)
class CurveSpec:
    """What one curve shows: its channel, label and unit."""

    channel: int
    label: str
    unit: str


MAX_MARKERS = 2000
TAIL_COLUMNS = 3  # the newest columns, redrawn as data arrives; older ones form the cached body
LEFT_AXIS_PX = 56


def _aligned_columns(t0: float, t1: float, width: int) -> tuple[float, int, float]:
    """(start, count, step) of columns on multiples of a rounded width: scrolling never shimmers."""
    step = column_step(t1 - t0, width)
    if not step > 0:
        return t0, max(width, 1), max(t1 - t0, 1e-9) / max(width, 1)
    a = np.floor(t0 / step) * step
    n = int(np.ceil((t1 - a) / step))
    return float(a), max(n, 1), step


MAX_PANELS = 16  # a 4 x 4 wall grid


def _reserve_pixmap_cache(curves: int, width: int, height: int) -> None:
    """Cached curves live in Qt's process-wide pixmap cache; its 10 MB default evicts a wall's.

    Evicted curves were re-rendered on every small repaint, which cost more than not caching.
    """
    need_kb = MAX_PANELS * curves * width * height * 4 // 1024
    if need_kb > QPixmapCache.cacheLimit():
        QPixmapCache.setCacheLimit(need_kb)


def _major_ticks(axis: pg.AxisItem, lo: float, hi: float, pixels: float) -> list[float]:
    """The values an axis labels (its coarsest tick level) inside [lo, hi]."""
    if not (hi > lo and pixels > 0):
        return []
    if not hasattr(axis, "fontMetrics"):  # a date axis sizes its ticks by the font it last drew
        axis.fontMetrics = QFontMetrics(axis.style["tickFont"] or axis.font())
    levels = axis.tickValues(lo, hi, pixels)
    return [v for v in levels[0][1] if lo <= v <= hi] if levels else []


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


class SensorPlot(pg.PlotWidget):
    """Draws per pixel (min/max columns), never per sample; follows live until paused."""

    followChanged = Signal(bool)  # True: following live time; False: paused
    cursorMoved = Signal(str)  # the readout text at the mouse's time

    def __init__(self, parent=None) -> None:
        super().__init__(
            parent=parent,
            viewBox=TimeViewBox(),
            axisItems={"bottom": pg.DateAxisItem(orientation="bottom")},
        )
        self._theme = active_theme()  # plots paint themselves: colours from the palette
        self.setBackground(self._theme.qcolor("plot.background"))
        for name in ("left", "bottom"):
            style_axis(self.getAxis(name))
        # Grid lines as one cached item under the curves, not drawn by the axes: an axis with
        # a grid spans the plot, so every small repaint replayed both axes' pictures.
        self.grid_lines = CurvePath(pg.mkPen(self._theme.rgba("plot.grid")), cached=True)
        self.grid_lines.setZValue(-20)
        self.plotItem.vb.addItem(self.grid_lines, ignoreBounds=True)
        self.getAxis("left").enableAutoSIPrefix(False)  # "%LEL (x0.001)" helps nobody
        self.getAxis("left").setWidth(LEFT_AXIS_PX)  # equal widths line up linked grid panels
        self.plotItem.vb.disableAutoRange()
        # the box draws nothing itself (no border): Qt then skips a Python paint per repaint
        self.plotItem.vb.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        legend_text = self._theme.qcolor("plot.legend_text")
        self._legend = self.addLegend(offset=(8, 8), labelTextColor=legend_text)
        self._axes = UnitAxes(self.plotItem)
        self._scales: dict[str, YAutoscale] = {}
        self._applied_y: dict[str, tuple[float, float]] = {}
        self._curves: dict[int, CurvePath] = {}  # completed columns, cached between scrolls
        self._tails: dict[int, CurvePath] = {}  # each curve's newest columns
        self._boxes: dict[int, pg.ViewBox] = {}  # the view box (unit axis) each curve is on
        self._drawn: dict[QGraphicsItem, tuple] = {}  # what each item shows now
        self._bad_markers: dict[int, pg.ScatterPlotItem] = {}
        self._data: dict[int, CurveData] = {}
        self._bands: list[pg.GraphicsObject] = []
        self._specs: list[CurveSpec] = []
        self.following = True
        self._dirty = False  # samples changed since the last redraw
        self._changed: set[int] = set()  # channels whose samples changed since the last redraw
        self._spans: dict[int, tuple[float, float] | None] = {}  # y extent of completed columns
        self._open_spans: dict[int, tuple[float, float] | None] = {}  # ...and of the open one
        self._shown_range: tuple[float, float, int] | None = None  # x range last decimated for
        self._pixels: dict[pg.ViewBox, tuple[float, float]] = {}  # per redraw: pixel size by box
        self.cursor = CursorLine()
        self.addItem(self.cursor, ignoreBounds=True)
        self.plotItem.vb.sigRangeChangedManually.connect(self._moved_by_user)
        self.plotItem.vb.sigXRangeChanged.connect(self._x_changed)
        self.plotItem.vb.sigRangeChanged.connect(self._update_grid)
        self.plotItem.vb.sigResized.connect(self._update_grid)
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    # --- curves ----------------------------------------------------------------------------

    def set_curves(self, specs: list[CurveSpec], limits: Limits | None) -> None:
        """Replace the curves; same unit, same axis; limit bands follow the first curve."""
        for channel, curve in self._curves.items():
            box = self._boxes[channel]
            for item in (curve, self._tails[channel], self._bad_markers[channel]):
                if item.scene() is not None:
                    box.removeItem(item)
        self._boxes.clear()
        self._legend.clear()
        self._curves.clear()
        self._tails.clear()
        self._drawn.clear()
        self._spans.clear()
        self._open_spans.clear()
        self._shown_range = None
        self._bad_markers.clear()
        self._data = {c: d for c, d in self._data.items() if c in {s.channel for s in specs}}
        self._specs = list(specs)
        self._axes.set_units([s.unit for s in specs])
        self._scales = {u: YAutoscale() for u in self._axes.boxes}
        self._applied_y = {}
        for i, spec in enumerate(specs):
            colour = self._theme.qcolor(f"plot.curve.{i % CURVES + 1}")
            pen = pg.mkPen(colour, width=2 if i == 0 else 1)
            # completed columns change once per scroll: kept as a pixmap in between
            curve = CurvePath(pen, cached=True)
            tail = CurvePath(pen)
            box = self._axes.box_for(spec.unit)
            box.addItem(curve, ignoreBounds=True)  # y comes from our autoscale, not the box
            box.addItem(tail, ignoreBounds=True)
            self._boxes[spec.channel] = box
            self._legend.addItem(curve, f"{spec.label} [{spec.unit}]")
            self._curves[spec.channel] = curve
            self._tails[spec.channel] = tail
            bad_pen = pg.mkPen(self._theme.qcolor("plot.bad_marker"), width=2)
            marker = pg.ScatterPlotItem(symbol="x", size=9, pen=bad_pen)
            marker.setVisible(False)
            box.addItem(marker, ignoreBounds=True)  # on its curve's y scale
            self._bad_markers[spec.channel] = marker
        self._draw_limits(limits)
        self._reserve_cache()
        self.redraw()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._reserve_cache()

    def _reserve_cache(self) -> None:
        if getattr(self, "_curves", None):  # resizeEvent runs inside the base constructor too
            _reserve_pixmap_cache(len(self._curves), self.width(), self.height())

    def _draw_limits(self, limits: Limits | None) -> None:
        for item in self._bands:
            self.removeItem(item)
        self._bands = []
        if limits is None:
            return
        for side, sign in ((limits.high, 1.0), (limits.low, -1.0)):
            levels = [(Level(i + 1), v) for i, v in enumerate(side) if v is not None]
            for k, (level, value) in enumerate(levels):
                colour = self._theme.qcolor(f"level.{int(level)}")
                text = self._theme.qcolor(f"plot.limit_label.{int(level)}")  # readable hue
                line = pg.InfiniteLine(
                    pos=value,
                    angle=0,
                    movable=False,
                    pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine),
                    label=f"{ROMAN[level]} {value:g}",
                    labelOpts={"position": 0.02, "color": text, "anchors": [(0, 1), (0, 1)]},
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
        self,
        channel: int,
        times_us: np.ndarray,
        values: np.ndarray,
        quality: np.ndarray,
        history: Series | None = None,
    ) -> None:
        """Keep one channel's live samples (and fetched history); drawn at the next redraw.

        Bad quality becomes a gap plus a marker. Pass the same history object again when it did
        not change: its decimation is then reused.
        """
        if channel not in self._curves:
            return
        data = self._data.setdefault(channel, CurveData())
        data.set(Series(times_us, values, quality), history)
        self._changed.add(channel)
        self._dirty = True

    def extend_curve(
        self, channel: int, new: Series, keep: int, history: Series | None = None
    ) -> None:
        """Add samples that arrived since the last call; at most `keep` stay, as in the ring."""
        if channel not in self._curves:
            return
        data = self._data.get(channel)
        if data is None:
            data = self._data[channel] = CurveData()
        if data.extend(new, keep, history):
            self._changed.add(channel)
            self._dirty = True

    # --- drawing ---------------------------------------------------------------------------

    def redraw(self) -> None:
        """Decimate the curves that changed (all when the window moved); autoscale each y axis."""
        self._dirty = False
        self._pixels: dict[pg.ViewBox, tuple[float, float]] = {}
        (x0, x1), _ = self.plotItem.vb.viewRange()
        width = max(int(self.plotItem.vb.width()), 50)
        c0, columns, step = _aligned_columns(x0, x1, width)
        moved = (x0, x1, width) != self._shown_range
        self._shown_range = (x0, x1, width)
        for spec in self._specs:
            if not moved and spec.channel not in self._changed:
                continue
            data = self._data.get(spec.channel) or CurveData()
            if moved or not self._redraw_open_column(spec.channel, data, c0, columns, step):
                self._redraw_curve(spec.channel, data, c0, columns, step, x0, x1)
            self._draw_markers(spec.channel, data, x0, x1)
        self._changed.clear()
        spans: dict[str, list[float]] = {}
        for spec in self._specs:
            for have in (self._spans.get(spec.channel), self._open_spans.get(spec.channel)):
                if have is None:
                    continue
                span = spans.setdefault(self._axes_unit(spec.unit), [have[0], have[1]])
                span[0], span[1] = min(span[0], have[0]), max(span[1], have[1])
        now = time.monotonic()
        for unit, (lo, hi) in spans.items():
            rng = self._scales[unit].update(float(lo), float(hi), now)
            if rng is not None and rng != self._applied_y.get(unit):
                self._applied_y[unit] = rng
                self._axes.box_for(unit).setYRange(*rng, padding=0)

    def _redraw_curve(
        self, channel: int, data: CurveData, c0: float, columns: int, step: float, x0, x1
    ) -> None:
        """Decimate the whole curve: the cached body ends a few columns before the window's end.

        The body's end moves only when the window scrolls, so arriving data (late samples
        included) changes just the small tail, and the body is re-rendered once per scroll.
        """
        dx, dy = data.decimated(c0, columns, step)
        body_end = (round(x1 / step) - TAIL_COLUMNS) * step
        cut = int(np.searchsorted(dx, body_end))
        self._set_points(channel, self._curves[channel], dx[:cut], dy[:cut])
        tail = slice(max(cut - 1, 0), None)
        self._set_points(channel, self._tails[channel], dx[tail], dy[tail])
        for spans, x, y in (
            (self._spans, dx[:cut], dy[:cut]),
            (self._open_spans, dx[cut:], dy[cut:]),
        ):
            shown = y[(x >= x0) & (x <= x1)]
            finite = shown[np.isfinite(shown)]
            spans[channel] = (float(finite.min()), float(finite.max())) if finite.size else None

    def _redraw_open_column(
        self, channel: int, data: CurveData, c0: float, columns: int, step: float
    ) -> bool:
        """Only the newest column changed: update its two points from the samples that are new."""
        tail_x, tail_y, _ = self._drawn.get(self._tails[channel], (np.zeros(0), np.zeros(0), None))
        column = data.open_column(c0, columns, step) if tail_x.size >= 3 else None
        if column is None or tail_x[-1] != column[0] or tail_x[-2] != column[0]:
            return False
        _x, lo, hi = column
        half_pixel = abs(self._pixel_of(channel)[1]) / 2
        if abs(lo - tail_y[-2]) < half_pixel and abs(hi - tail_y[-1]) < half_pixel:
            return True  # the change would not move a pixel: nothing to repaint
        y = tail_y.copy()
        y[-2:] = lo, hi
        self._set_points(channel, self._tails[channel], tail_x, y)
        finite = y[np.isfinite(y)]
        self._open_spans[channel] = (float(finite.min()), float(finite.max()))
        return True

    def _set_points(self, channel: int, item: CurvePath, x: np.ndarray, y: np.ndarray) -> None:
        """Hand an item new points only when they differ: an unchanged item is not repainted."""
        pixel = self._pixel_of(channel)
        drawn = self._drawn.get(item)
        if drawn is not None and drawn[2] == pixel and _same(drawn[0], x) and _same(drawn[1], y):
            return
        self._drawn[item] = (x, y, pixel)
        item.set_points(x, y, pixel)

    def drawn(self, channel: int) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of a curve as it is on screen, completed columns and the open one together."""
        empty = (np.zeros(0), np.zeros(0), None)
        bx, by, _ = self._drawn.get(self._curves.get(channel), empty)
        tx, ty, _ = self._drawn.get(self._tails.get(channel), empty)
        skip = 1 if bx.size and tx.size else 0  # the tail repeats the body's last point
        return np.concatenate([bx, tx[skip:]]), np.concatenate([by, ty[skip:]])

    def _pixel_of(self, channel: int) -> tuple[float, float]:
        """A pixel's size in the channel's view units, asked of pyqtgraph once per redraw."""
        box = self._boxes[channel]
        pixel = self._pixels.get(box)
        if pixel is None:
            pixel = self._pixels[box] = tuple(box.viewPixelSize())
        return pixel

    def _update_grid(self, *_args) -> None:
        """Lines at the axes' major ticks across the plot."""
        vb = self.plotItem.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        xs = _major_ticks(self.getAxis("bottom"), x0, x1, vb.width())
        ys = _major_ticks(self.getAxis("left"), y0, y1, vb.height())
        gap = [np.nan]
        x = np.concatenate([[v, v, *gap] for v in xs] + [[x0, x1, *gap] for _ in ys] or [[]])
        y = np.concatenate([[y0, y1, *gap] for _ in xs] + [[v, v, *gap] for v in ys] or [[]])
        self.grid_lines.set_points(x, y, vb.viewPixelSize())

    def _axes_unit(self, unit: str) -> str:
        """Units beyond the axis limit share the left axis and its autoscale."""
        return unit if unit in self._axes.units else self._axes.units[0]

    def _draw_markers(self, channel: int, data: CurveData, x0: float, x1: float) -> None:
        """A cross on each bad-quality sample in view (the newest MAX_MARKERS)."""
        marker = self._bad_markers[channel]
        if not data.has_marks() and marker not in self._drawn:
            return
        mx, my = data.marks_in(x0, x1, MAX_MARKERS)
        drawn = self._drawn.get(marker)
        if drawn is not None and _same(drawn[0], mx) and _same(drawn[1], my):
            return
        self._drawn[marker] = (mx, my)
        marker.setVisible(bool(mx.size))  # hidden items cost a paint nothing
        if mx.size:
            marker.setData(mx, my)
        else:
            marker.clear()

    # --- time: follow, pause, pan ----------------------------------------------------------

    def set_window(self, start_s: float, end_s: float) -> None:
        """Show a time window; a changed range redraws this plot and every plot linked to it."""
        (x0, x1), _ = self.plotItem.vb.viewRange()
        if (x0, x1) != (start_s, end_s):
            self.setXRange(start_s, end_s, padding=0)
        self.redraw_if_dirty()

    def redraw_if_dirty(self) -> None:
        """Redraw only when samples changed since the last redraw."""
        if self._dirty:
            self.redraw()

    def column_step(self, span_s: float) -> float:
        """Seconds per pixel column when `span_s` is shown; the live window moves by these."""
        return column_step(span_s, max(int(self.plotItem.vb.width()), 50))

    def set_following(self, following: bool) -> None:
        """Pause freezes the time range; following again resumes live updates."""
        if following != self.following:
            self.following = following
            self.followChanged.emit(following)

    def _moved_by_user(self, *_args) -> None:
        self.set_following(False)

    def _x_changed(self, *_args) -> None:
        self.redraw()

    # --- cursor ----------------------------------------------------------------------------

    def _mouse_moved(self, pos) -> None:
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(pos):
            self.cursor.hide()
            return
        self.set_cursor(vb.mapSceneToView(pos).x())

    def set_cursor(self, t_s: float) -> None:
        """Put the cursor line at a time and publish every curve's value there."""
        self.cursor.setPos(t_s)
        self.cursor.show()
        self.cursorMoved.emit(self.readout_text(t_s))

    def readout(self, t_s: float) -> list[tuple[str, str]]:
        """(label, value) per curve at a time; the nearest sample, a dash in a gap."""
        rows = []
        for spec in self._specs:
            data = self._data.get(spec.channel) or CurveData()
            t, y, _marks = data.samples()
            rows.append((spec.label, format_value(nearest_value(t, y, t_s), spec.unit)))
        return rows

    def readout_text(self, t_s: float) -> str:
        """Time and the first value, then one curve a line, so narrow panels still show all."""
        rows = [f"{label} {value}" for label, value in self.readout(t_s)]
        head = "  ·  ".join([format_time(t_s), *rows[:1]])
        return "\n".join([head, *rows[1:]])

    def first_time(self) -> float | None:
        """Oldest sample time (s) held, for sizing a window that is not yet full."""
        firsts = [t for d in self._data.values() if (t := d.first_time()) is not None]
        return min(firsts, default=None)

    def samples(self, channel: int) -> tuple[np.ndarray, np.ndarray]:
        """(seconds, shown values) of a channel, history then live, as the curve holds them."""
        t, y, _marks = (self._data.get(channel) or CurveData()).samples()
        return t, y

    @property
    def channels(self) -> list[int]:
        return [s.channel for s in self._specs]

    @property
    def units(self) -> list[str]:
        """Units with an axis of their own, the left axis first."""
        return list(self._axes.units)

    def view_box_for(self, unit: str) -> pg.ViewBox:
        return self._axes.box_for(unit)
