"""The replay timeline: the range, a marker per alarm raise (level by colour, shape and numeral),
a density strip of raises per bin, and the playhead; a click or a drag asks for a seek."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Property, QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from backend_client.model.replay_timeline import (
    AlarmMark,
    clock_text,
    density,
    nice_ticks,
    time_at,
    x_of,
)
from widgets.theme import active_theme

LEVEL_SYMBOL = {1: "▲ I", 2: "◆ II", 3: "■ III", 4: "● IV"}  # the alarm queue's
LEVEL_SHAPE = {1: "triangle", 2: "diamond", 3: "square", 4: "circle"}
MARGIN_X = 10
TOP = 4  # room for the playhead's head
MARKER_ROW_H = 18
DENSITY_H = 12
AXIS_H = 14
BIN_PX = 6  # density bin width
NEAR_PX = 6  # a hover this close to a marker names it


def _colour_property(name: str) -> Property:
    """A QColor property the theme sets as qproperty-<name>Color (no colour is inline)."""

    def get(self: ReplayTimeline) -> QColor:
        return self._colours[name]

    def set_(self: ReplayTimeline, colour: QColor) -> None:
        self._colours[name] = QColor(colour)
        self._invalidate()

    return Property(QColor, get, set_)


class ReplayTimeline(QWidget):
    """Presents the replay range; the playhead moves only when the source says it moved."""

    positionPicked = Signal("qint64")  # pressed at a time (us)
    positionDragged = Signal("qint64")  # dragged to a time (us)
    dragFinished = Signal("qint64")  # released at a time (us)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayTimeline")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(MARKER_ROW_H + DENSITY_H + AXIS_H + 8)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.t0_us = 0
        self.t1_us = 0
        self.position_us = 0
        self.marks: tuple[AlarmMark, ...] = ()
        self.training_acks: tuple[int, ...] = ()  # when the trainee acknowledged (us)
        self.dragging = False
        self._theme = active_theme()  # level marks; the rest until QSS sets qproperty-*Color
        names = ("playhead", "density", "track", "played", "axis", "outline")
        self._colours = {name: self._theme.qcolor(f"timeline.{name}") for name in names}
        self._layer: QPixmap | None = None  # what moves only with the range, size or theme
        self._layer_key: tuple = ()

    # --- colours from the QSS theme (qproperty-*) ----------------------------------------------

    playheadColor = _colour_property("playhead")
    densityColor = _colour_property("density")
    trackColor = _colour_property("track")
    playedColor = _colour_property("played")
    axisColor = _colour_property("axis")
    outlineColor = _colour_property("outline")

    # --- inputs --------------------------------------------------------------------------------

    def set_range(self, t0_us: int, t1_us: int, marks: Sequence[AlarmMark] = ()) -> None:
        """A new replay range and the alarm raises within it."""
        self.t0_us, self.t1_us = int(t0_us), int(t1_us)
        self.marks = tuple(marks)
        self.position_us = min(max(self.position_us, self.t0_us), self.t1_us)
        self._invalidate()

    def set_training_acks(self, times_us: Sequence[int]) -> None:
        """The trainee's acknowledgements, drawn as 'T' ticks (a training tag on the timeline)."""
        self.training_acks = tuple(int(t) for t in times_us)
        self._invalidate()

    def set_position(self, t_us: int) -> None:
        """The replay source's time; repaints only when the playhead moves a pixel or more."""
        t_us = int(t_us)
        if t_us == self.position_us:
            return
        before = self.playhead_x()
        self.position_us = t_us
        if abs(self.playhead_x() - before) >= 0.5:
            self.update()

    # --- geometry ------------------------------------------------------------------------------

    def track_width(self) -> float:
        return max(1.0, self.width() - 2 * MARGIN_X)

    def x_at(self, t_us: int) -> float:
        """Widget x of a recorded time."""
        return MARGIN_X + x_of(t_us, self.track_width(), self.t0_us, self.t1_us)

    def time_at_x(self, x: float) -> int:
        """Recorded time under widget x (clamped to the range)."""
        return time_at(x - MARGIN_X, self.track_width(), self.t0_us, self.t1_us)

    def playhead_x(self) -> float:
        return self.x_at(self.position_us)

    def density_counts(self) -> list[int]:
        """Raises per bin as drawn (a bin is BIN_PX wide)."""
        bins = max(1, int(self.track_width() // BIN_PX))
        counts = density([m.time_us for m in self.marks], self.t0_us, self.t1_us, bins)
        return [int(c) for c in counts]

    def mark_near(self, x: float) -> AlarmMark | None:
        """The most severe marker within NEAR_PX of x, if any."""
        near = [m for m in self.marks if abs(self.x_at(m.time_us) - x) <= NEAR_PX]
        return min(near, key=lambda m: (m.level, abs(self.x_at(m.time_us) - x)), default=None)

    # --- mouse: pick, drag, hover --------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.t1_us <= self.t0_us:
            return
        self.dragging = True
        self.positionPicked.emit(self.time_at_x(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        t = self.time_at_x(x)
        if self.dragging:
            self.positionDragged.emit(t)
        text = self.hover_text(x)
        self.setToolTip(text)
        QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.dragging:
            return
        self.dragging = False
        self.dragFinished.emit(self.time_at_x(event.position().x()))

    def hover_text(self, x: float) -> str:
        """The time under the pointer, and the alarm raised there if a marker is that close."""
        text = clock_text(self.time_at_x(x), with_date=True)
        mark = self.mark_near(x)
        if mark is not None:
            symbol = LEVEL_SYMBOL[mark.level]
            raised = QCoreApplication.translate(
                "ReplayTimeline", "{symbol} alarm {alarm} raised {time}"
            ).format(symbol=symbol, alarm=mark.alarm_id, time=clock_text(mark.time_us))
            text += "\n" + raised
        return text

    # --- drawing -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Track and played part, the cached layer of markers, density and axis, the playhead:
        moving the playhead redraws no marker (a long range holds thousands)."""
        painter = QPainter(self)
        c = self._colours
        track = QRectF(MARGIN_X, TOP, self.track_width(), MARKER_ROW_H + DENSITY_H + 2)
        painter.fillRect(track, c["track"])
        if self.t1_us > self.t0_us:
            played = QRectF(track)
            played.setRight(self.playhead_x())
            painter.fillRect(played, c["played"])
        ratio = self.devicePixelRatioF()
        if self._layer is None or self._layer_key != (self.size(), ratio):
            self._layer, self._layer_key = self._render_layer(ratio), (self.size(), ratio)
        painter.drawPixmap(0, 0, self._layer)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = self.playhead_x()
        axis_top = TOP + MARKER_ROW_H + DENSITY_H + 4
        painter.setPen(QPen(c["playhead"], 2))
        painter.drawLine(QPointF(x, TOP - 2), QPointF(x, axis_top))
        head = QPolygonF([QPointF(x - 5, TOP - 4), QPointF(x + 5, TOP - 4), QPointF(x, TOP + 3)])
        painter.setBrush(c["playhead"])
        painter.drawPolygon(head)
        painter.end()

    def _render_layer(self, ratio: float) -> QPixmap:
        """Markers, density strip, training ticks and the time axis on a transparent pixmap."""
        layer = QPixmap(self.size() * ratio)
        layer.setDevicePixelRatio(ratio)
        layer.fill(Qt.GlobalColor.transparent)
        painter = QPainter(layer)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        strip_top = TOP + MARKER_ROW_H + 2
        self._paint_density(painter, strip_top)
        self._paint_axis(painter, strip_top + DENSITY_H + 2)
        for mark in sorted(self.marks, key=lambda m: -m.level):  # level I drawn last, on top
            self._paint_mark(painter, mark, TOP + MARKER_ROW_H / 2)
        self._paint_training(painter, strip_top)
        painter.end()
        return layer

    def _invalidate(self) -> None:
        self._layer = None
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layer = None

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._layer = None

    def _paint_density(self, painter: QPainter, strip_top: float) -> None:
        counts = self.density_counts()
        most = max(counts, default=0)
        if most == 0:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colours["density"])
        width = self.track_width() / len(counts)
        for i, n in enumerate(counts):
            if n:
                h = max(2.0, DENSITY_H * n / most)
                painter.drawRect(
                    QRectF(MARGIN_X + i * width, strip_top + DENSITY_H - h, max(1.0, width - 1), h)
                )

    def _paint_axis(self, painter: QPainter, axis_top: float) -> None:
        metrics = QFontMetrics(self.font())
        label_w = metrics.horizontalAdvance("00:00:00") * 1.6
        painter.setPen(self._colours["axis"])
        most = max(1, int(self.track_width() // label_w))
        for t in nice_ticks(self.t0_us, self.t1_us, most):
            x = self.x_at(t)
            painter.drawLine(QPointF(x, axis_top - 3), QPointF(x, axis_top))
            text = clock_text(t)
            w = metrics.horizontalAdvance(text)
            left = min(max(x - w / 2, 0), self.width() - w)
            painter.drawText(QPointF(left, axis_top + metrics.ascent()), text)

    def _paint_training(self, painter: QPainter, strip_top: float) -> None:
        painter.setPen(QPen(self._colours["playhead"], 1.5))
        metrics = QFontMetrics(self.font())
        for t in self.training_acks:
            x = self.x_at(t)
            painter.drawLine(QPointF(x, strip_top), QPointF(x, strip_top + DENSITY_H))
            painter.drawText(QPointF(x + 2, strip_top + metrics.ascent() - 1), "T")

    def _paint_mark(self, painter: QPainter, mark: AlarmMark, mid: float) -> None:
        x = self.x_at(mark.time_us)
        known = mark.level in (1, 2, 3, 4)
        colour = self._theme.qcolor(f"level.{mark.level}" if known else "state.offline")
        painter.setPen(QPen(self._colours["outline"], 1))
        painter.setBrush(colour)
        painter.drawPath(marker_path(mark.level, x, mid, 6.5))


def marker_path(level: int, x: float, y: float, r: float) -> QPainterPath:
    """The queue's level symbols: ▲ I, ◆ II, ■ III, ● IV (shape says the level without colour)."""
    path = QPainterPath()
    shape = LEVEL_SHAPE.get(level, "circle")
    if shape == "triangle":
        path.addPolygon(
            QPolygonF([QPointF(x, y - r), QPointF(x + r, y + r), QPointF(x - r, y + r)])
        )
        path.closeSubpath()
    elif shape == "diamond":
        path.addPolygon(
            QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)])
        )
        path.closeSubpath()
    elif shape == "square":
        s = r * 0.8
        path.addRect(QRectF(x - s, y - s, 2 * s, 2 * s))
    else:
        path.addEllipse(QPointF(x, y), r * 0.8, r * 0.8)
    return path
