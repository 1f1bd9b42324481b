"""One summary tile: a group's worst level by colour, symbol and text, its counts, painted to size.

The tile paints its own text so that type scales with the tile (a 4K wall tile reads across the
room); colours come from the QSS theme as qproperty-*Color, selected on the tile's dynamic
properties (worst, state, unacked, interactive). No colour is written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QWidget

from backend_client.model.area_summary import GroupSummary
from backend_client.protocol import AlarmState
from widgets.style_flags import set_style_flag
from widgets.vocabulary import level_symbol, level_word

# share of the tile's inner height: header band (name, badge), status, level counts, footer
ROWS = (0.30, 0.17, 0.33, 0.20)
MIN_PX = 7
SET_ASIDE_STATES = (AlarmState.SHELVED, AlarmState.SUPPRESSED, AlarmState.OUT_OF_SERVICE)
SET_ASIDE_WORDS = (  # shelved, suppressed, out of service, open loops
    QT_TRANSLATE_NOOP("SummaryTiles", "shelved {0}"),
    QT_TRANSLATE_NOOP("SummaryTiles", "suppressed {0}"),
    QT_TRANSLATE_NOOP("SummaryTiles", "out of service {0}"),
    QT_TRANSLATE_NOOP("SummaryTiles", "loops open {0}"),
)
HEALTH_WORDS = (  # offline, bad quality
    QT_TRANSLATE_NOOP("SummaryTiles", "offline {0}"),
    QT_TRANSLATE_NOOP("SummaryTiles", "bad {0}"),
)
COLOURS = (  # each is a qproperty-<name>Color the theme sets on QFrame#summaryTile
    "text",  # group name and counts on the panel
    "muted",  # footer
    "dim",  # zero counts
    "clear",  # ALL CLEAR
    "accent",  # header band: the worst level's colour (invalid: no band)
    "accentText",  # the name on the band
    "badge",  # the worst level's chip in the band
    "badgeText",
    "setAside",  # shelved / suppressed / out of service in the footer
    "status",  # the status line
    "unack",  # the unacknowledged count
    "level1",
    "level2",
    "level3",
    "level4",
    "level1Text",
    "level2Text",
    "level3Text",
    "level4Text",
)


@dataclass(frozen=True, slots=True)
class TileTexts:
    """Everything a tile says, in words: painted, read by screen readers and by tests."""

    name: str
    badge: str  # the worst level's symbol and numeral; empty when nothing stands
    status: str
    unack: str
    counts: tuple[tuple[str, str], ...]  # (level symbol, count) for I..IV
    set_aside: str  # shelved, suppressed, out of service, open loops: shown, never hidden
    health: str  # sensors, offline, bad quality


def tile_texts(summary: GroupSummary, name: str) -> TileTexts:
    """The words of a tile for a summary (translated, then formatted)."""
    level = summary.worst_level
    if level:
        status = QCoreApplication.translate("SummaryTiles", "LEVEL {0}").format(level_word(level))
    elif summary.set_aside:
        status = QCoreApplication.translate("SummaryTiles", "NO ACTIVE ALARMS")
    else:
        status = QCoreApplication.translate("SummaryTiles", "ALL CLEAR")
    unack = ""
    if summary.unacked:
        unack = QCoreApplication.translate("SummaryTiles", "{0} UNACK").format(summary.unacked)
    aside = (
        (summary.shelved, SET_ASIDE_WORDS[0]),
        (summary.suppressed, SET_ASIDE_WORDS[1]),
        (summary.out_of_service, SET_ASIDE_WORDS[2]),
        (summary.open_loops, SET_ASIDE_WORDS[3]),
    )
    health = ((summary.offline, HEALTH_WORDS[0]), (summary.bad_quality, HEALTH_WORDS[1]))
    # the total goes last: a narrow tile elides it first
    health_text = [
        QCoreApplication.translate("SummaryTiles", text).format(n) for n, text in health if n
    ]
    health_text.append(
        QCoreApplication.translate("SummaryTiles", "sensors {0}").format(summary.sensors)
    )
    return TileTexts(
        name=name,
        badge=level_symbol(level) if level else "",
        status=status,
        unack=unack,
        counts=tuple((level_symbol(i + 1), str(n)) for i, n in enumerate(summary.by_level)),
        set_aside=" · ".join(
            QCoreApplication.translate("SummaryTiles", text).format(n) for n, text in aside if n
        ),
        health=" · ".join(health_text),
    )


def _colour_property(name: str) -> Property:
    """A QColor property the theme sets as qproperty-<name>Color."""

    def get(self: SummaryTile) -> QColor:
        return QColor(self._colours.get(name, QColor()))

    def set_(self: SummaryTile, colour: QColor) -> None:
        self._colours[name] = QColor(colour)
        self.update()

    return Property(QColor, get, set_)


class SummaryTile(QFrame):
    """Presents one GroupSummary; on a desk a click or Enter asks for the group's detail."""

    activated = Signal(str)  # the group's key

    def __init__(self, key: str, interactive: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryTile")
        self.key = key
        self.interactive = interactive
        self.summary: GroupSummary | None = None
        self.texts = TileTexts("", "", "", "", (), "", "")
        self._colours: dict[str, QColor] = {}
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(96, 60)
        self.setProperty("interactive", "true" if interactive else "false")
        if interactive:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:  # a wall seat: no focus, and clicks go nowhere
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)

    textColor = _colour_property("text")
    mutedColor = _colour_property("muted")
    dimColor = _colour_property("dim")
    clearColor = _colour_property("clear")
    accentColor = _colour_property("accent")
    accentTextColor = _colour_property("accentText")
    badgeColor = _colour_property("badge")
    badgeTextColor = _colour_property("badgeText")
    setAsideColor = _colour_property("setAside")
    statusColor = _colour_property("status")
    unackColor = _colour_property("unack")
    level1Color = _colour_property("level1")
    level2Color = _colour_property("level2")
    level3Color = _colour_property("level3")
    level4Color = _colour_property("level4")
    level1TextColor = _colour_property("level1Text")
    level2TextColor = _colour_property("level2Text")
    level3TextColor = _colour_property("level3Text")
    level4TextColor = _colour_property("level4Text")

    # --- input ----------------------------------------------------------------------------------

    def show_summary(self, summary: GroupSummary, name: str) -> bool:
        """Show a summary; False (and no repaint) when it says what the tile shows already."""
        if summary is self.summary or (summary == self.summary and name == self.texts.name):
            return False
        self.summary = summary
        self.texts = tile_texts(summary, name)
        if summary.worst_level:
            state = "standing"
        elif summary.worst_state in SET_ASIDE_STATES:
            state = "set_aside"
        else:
            state = "clear"
        set_style_flag(self, "worst", str(summary.worst_level))
        set_style_flag(self, "state", state)
        set_style_flag(self, "unacked", "true" if summary.unacked else "false")
        self.setAccessibleName(name)
        t = self.texts
        described = [t.badge, t.status, t.unack, t.set_aside, t.health]
        self.setAccessibleDescription(" · ".join(t for t in described if t))
        if self.interactive:
            self.setToolTip("\n".join(t for t in (name, *described) if t))
        self.update()  # a re-polish may already have asked; Qt merges the two
        return True

    # --- operator -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.interactive and event.button() == Qt.MouseButton.LeftButton:
            event.accept()  # the release comes here only if the press was taken
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        inside = self.rect().contains(event.position().toPoint())
        if self.interactive and event.button() == Qt.MouseButton.LeftButton and inside:
            self.activated.emit(self.key)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if self.interactive and event.key() in keys:
            self.activated.emit(self.key)
            event.accept()
            return
        super().keyPressEvent(event)  # arrows go up to the board

    # --- painting -------------------------------------------------------------------------------

    def _colour(self, name: str, fallback: QPalette.ColorRole) -> QColor:
        colour = self._colours.get(name)
        return colour if colour is not None and colour.isValid() else self.palette().color(fallback)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)  # the theme's panel and border
        if self.summary is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        w, h = float(self.width()), float(self.height())
        edge = max(2.0, min(w, h) * 0.02)  # inside the theme's border
        pad = max(4.0, min(w, h) * 0.06)
        inner = QRectF(edge, edge, w - 2 * edge, h - 2 * edge)
        heights = [inner.height() * share for share in ROWS]
        top = inner.top()
        rows = []
        for height in heights:
            rows.append(QRectF(inner.left() + pad, top, inner.width() - 2 * pad, height))
            top += height
        self._paint_header(painter, inner, rows[0], heights[0], pad)
        self._paint_status(painter, rows[1])
        self._paint_counts(painter, rows[2])
        self._paint_footer(painter, rows[3].adjusted(0, 0, 0, -pad * 0.4), pad)
        painter.end()

    def _paint_header(
        self, painter: QPainter, inner: QRectF, row: QRectF, height: float, pad: float
    ) -> None:
        texts = self.texts
        accent = self._colours.get("accent")
        banded = bool(texts.badge) and accent is not None and accent.isValid()
        text = self._colour("text", QPalette.ColorRole.WindowText)
        if banded:
            band = QRectF(inner.left(), inner.top(), inner.width(), height)
            radius = min(6.0, height * 0.12)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawRoundedRect(band, radius, radius)
            text = self._colour("accentText", QPalette.ColorRole.WindowText)
        name_rect = QRectF(row)
        if texts.badge:
            badge_font = self._font(texts.badge, row.height() * 0.56, row.width() * 0.4, True)
            badge_w = QFontMetricsF(badge_font).horizontalAdvance(texts.badge) + pad
            chip_h = row.height() * 0.74
            chip = QRectF(row.right() - badge_w, row.center().y() - chip_h / 2, badge_w, chip_h)
            fill = self._colours.get("badge")
            if fill is not None and fill.isValid():
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(chip, chip_h * 0.12, chip_h * 0.12)
            painter.setFont(badge_font)
            painter.setPen(self._colour("badgeText", QPalette.ColorRole.WindowText))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, texts.badge)
            name_rect.setRight(chip.left() - pad)
        self._text(painter, name_rect, texts.name, text, 0.62, True)

    def _paint_status(self, painter: QPainter, row: QRectF) -> None:
        texts = self.texts
        if texts.badge:
            colour = self._colour("status", QPalette.ColorRole.WindowText)
        else:
            colour = self._colour("clear", QPalette.ColorRole.WindowText)
        both = f"{texts.status}   {texts.unack}" if texts.unack else texts.status
        font = self._font(both, row.height() * 0.7, row.width(), True)
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(row, Qt.AlignmentFlag.AlignVCenter, texts.status)
        if texts.unack:
            left = QFontMetricsF(font).horizontalAdvance(f"{texts.status}   ")
            painter.setPen(self._colour("unack", QPalette.ColorRole.WindowText))
            painter.drawText(
                row.adjusted(left, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, texts.unack
            )

    def _paint_footer(self, painter: QPainter, row: QRectF, pad: float) -> None:
        """Set-aside alarms first (never hidden), sensor health after, in one small line."""
        texts = self.texts
        font = QFont(self.font())
        font.setPixelSize(max(MIN_PX, int(row.height() * 0.42)))
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        room = row.width()
        if texts.set_aside:
            aside_w = min(metrics.horizontalAdvance(texts.set_aside), room)
            aside = metrics.elidedText(texts.set_aside, Qt.TextElideMode.ElideRight, aside_w)
            painter.setPen(self._colour("setAside", QPalette.ColorRole.WindowText))
            painter.drawText(row, left, aside)
            room -= aside_w + pad
        if room > metrics.horizontalAdvance("…") * 3:
            health = metrics.elidedText(texts.health, Qt.TextElideMode.ElideRight, room)
            painter.setPen(self._colour("muted", QPalette.ColorRole.PlaceholderText))
            right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
            painter.drawText(row, right, health)

    def _paint_counts(self, painter: QPainter, row: QRectF) -> None:
        cell_w = row.width() / 4
        caption_h, number_h = row.height() * 0.34, row.height() * 0.66
        caption_font = self._font("■ III", caption_h * 0.7, cell_w * 0.7, True)
        number_font = self._font("000", number_h * 0.95, cell_w * 0.9, True)
        text = self._colour("text", QPalette.ColorRole.WindowText)
        dim = self._colour("dim", QPalette.ColorRole.PlaceholderText)
        centre = Qt.AlignmentFlag.AlignCenter
        for i, (symbol, count) in enumerate(self.texts.counts):
            x = row.left() + i * cell_w
            caption = QRectF(x + cell_w * 0.12, row.top(), cell_w * 0.76, caption_h)
            number = QRectF(x, row.top() + caption_h, cell_w, number_h)
            painter.setFont(caption_font)
            if count != "0":
                chip = self._colours.get(f"level{i + 1}")
                if chip is not None and chip.isValid():
                    radius = caption_h * 0.15
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(chip)
                    painter.drawRoundedRect(caption.adjusted(0, 1, 0, -1), radius, radius)
                painter.setPen(self._colour(f"level{i + 1}Text", QPalette.ColorRole.WindowText))
            else:
                painter.setPen(dim)
            painter.drawText(caption, centre, symbol)
            painter.setFont(number_font)
            painter.setPen(text if count != "0" else dim)
            painter.drawText(number, centre, count)

    def _font(
        self, text: str, height: float, width: float, bold: bool, floor: float = 0.0
    ) -> QFont:
        """The widget's font at a pixel size that fills height, shrunk (to floor) to fit width."""
        font = QFont(self.font())
        font.setBold(bold)
        full = max(MIN_PX, int(height))
        font.setPixelSize(full)
        advance = QFontMetricsF(font).horizontalAdvance(text)
        if advance > width > 0:
            fitted = max(int(full * width / advance), int(full * floor))
            font.setPixelSize(max(MIN_PX, fitted))
        return font

    def _text(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        colour: QColor,
        share: float,
        bold: bool,
        floor: float = 0.0,
    ) -> None:
        """One line sized to a share of the row's height, shrunk to fit, elided past the floor."""
        font = self._font(text, rect.height() * share, rect.width(), bold, floor)
        shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown)
