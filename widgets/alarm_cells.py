"""Paints alarm table rows from cached row images: a wall table repaints every frame.

Qt's default item painting asks the model for seven roles per cell through QVariant and lays
out every text again; at 30 frames a second on a wall of large type that was most of a frame.
Here a row is drawn once into a pixmap, keyed by what it shows, and blitted whole at the first
cell Qt asks for (the selected row, whose cell panels Qt fills first, cell by cell); rows that
only moved (a new alarm above) cost one blit and no text layout. Colours come
from the model (level, state) and from the table's palette, which the QSS theme sets.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap, QStaticText
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.theme import active_theme

# roles as plain ints: the model's row cache is keyed by them and data() compares them
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
ROLES = frozenset({DISPLAY, BACKGROUND, FOREGROUND, FONT, TOOLTIP, ALIGNMENT})
LOOK = -1  # not a Qt role: a hashable summary of everything but the texts that a row shows

PADDING = 8
KEEP_COLOUR_COLUMNS = (0, 1, 2)  # level, state, first-out keep their colour when selected
ROWS_CACHED_PER_ROW_SHOWN = 4  # both flash phases of every row on screen, and some churn
# laid-out texts kept, least recently used dropped first: every cell of the rows on screen in both
# flash phases is a few hundred; the live value column makes new ones all the time, and each
# costs about 1 kB of Qt memory, so a cap ten times that (20 MB) only grew RSS in a soak
MAX_CACHED_TEXTS = 2_000
_ELIDE = Qt.TextElideMode.ElideRight

Columns = tuple[tuple[int, int, int], ...]  # (column, x in the viewport, width), shown ones


class RowCells(Protocol):
    def cells(self, row: int) -> dict[int, Sequence] | None: ...


class AlarmCellDelegate(QStyledItemDelegate):
    """Draws each row once per look into a pixmap; the selected row is tinted and outlined."""

    def __init__(self, model: RowCells, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._texts: dict[tuple[str, int, bool], QStaticText] = {}
        self._pixmaps: dict[Hashable, QPixmap] = {}
        self._columns: Columns = ()
        self._width = self._height = 0
        self._ratio = 1.0
        self._look: tuple | None = None
        self._painted: set[int] = set()  # rows drawn whole in this paint event
        self._selected_row = -1
        theme = active_theme()  # until the table's (QSS-set) palette is handed over
        self._base = theme.qcolor("table.base")
        self._highlight = theme.qcolor("table.highlight")
        self._outline = QPen(theme.qcolor("table.outline"))
        self._font = QFont()
        self._text_colour = theme.qcolor("table.text")

    def set_font(self, font: QFont, text_colour: QColor) -> None:
        """The table's (style-sheet scaled) font: cached texts and rows no longer fit."""
        self._font = QFont(font)
        self._text_colour = text_colour
        self._texts.clear()
        self._pixmaps.clear()

    def begin_paint(
        self,
        selected_row: int,
        columns: Columns,
        size: tuple[int, int],
        ratio: float,
        colours: tuple[QColor, QColor, QColor],
    ) -> None:
        """Once per paint event: the geometry and colours every row shares."""
        self._selected_row = selected_row
        self._painted = set()
        width, self._height = size
        look = (columns, width, ratio, *(c.rgba() for c in colours))
        if look != self._look:
            self._pixmaps.clear()
            self._look = look
        self._columns, self._width, self._ratio = columns, width, ratio
        self._base, self._highlight, outline = colours
        self._outline = QPen(outline)
        self._outline.setWidth(2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = index.row()
        selected = row == self._selected_row
        if not selected:
            if row in self._painted:  # the whole row went out with its first cell
                return
            self._painted.add(row)
        cells = self._model.cells(row)
        if cells is None:
            return
        rect: QRect = option.rect
        key = (cells[DISPLAY], cells[LOOK], selected, rect.height())
        pixmap = self._pixmaps.pop(key, None)  # re-inserted below: least recently used first
        if pixmap is None:
            pixmap = self._render(cells, selected, rect.height())
            limit = ROWS_CACHED_PER_ROW_SHOWN * (1 + self._height // max(1, rect.height()))
            while len(self._pixmaps) >= max(16, limit):
                del self._pixmaps[next(iter(self._pixmaps))]
        self._pixmaps[key] = pixmap
        if not selected:
            painter.drawPixmap(0, rect.top(), pixmap)
            return
        # Qt fills each selected cell's panel before its paint: blit the cell's own part
        ratio = self._ratio
        source = QRectF(rect.x() * ratio, 0, rect.width() * ratio, rect.height() * ratio)
        painter.drawPixmap(QRectF(rect), pixmap, source)

    def _render(self, cells: dict[int, Sequence], selected: bool, height: int) -> QPixmap:
        pixmap = QPixmap(int(self._width * self._ratio), int(height * self._ratio))
        pixmap.setDevicePixelRatio(self._ratio)
        pixmap.fill(self._highlight if selected else self._base)
        painter = QPainter(pixmap)
        for col, x, width in self._columns:
            rect = QRect(x, 0, width, height)
            background = cells[BACKGROUND][col]
            if selected and col not in KEEP_COLOUR_COLUMNS:
                background = None  # the row is tinted already
            if background is not None:
                painter.fillRect(rect, background)
            text = cells[DISPLAY][col]
            if not text:
                continue
            font = cells[FONT][col] or self._font
            painter.setFont(font)
            painter.setPen(cells[FOREGROUND][col] or self._text_colour)
            static = self._static(text, width - 2 * PADDING, font)
            size = static.size()
            left = x + PADDING
            if cells[ALIGNMENT][col] is not None:  # right-aligned numbers
                left = x + width - PADDING - size.width()
            painter.drawStaticText(QPointF(left, (height - size.height()) / 2), static)
        if selected:
            painter.setPen(self._outline)
            painter.drawLine(0, 1, self._width, 1)
            painter.drawLine(0, height - 1, self._width, height - 1)
        painter.end()
        return pixmap

    def _static(self, text: str, width: int, font: QFont) -> QStaticText:
        """Laid-out text, elided to the cell; shaping each text once is what makes paint cheap."""
        key = (text, width, font.bold())
        static = self._texts.pop(key, None)  # re-inserted below: least recently used first
        if static is None:
            while len(self._texts) >= MAX_CACHED_TEXTS:
                del self._texts[next(iter(self._texts))]
            shown = QFontMetrics(font).elidedText(text, _ELIDE, max(0, width))
            static = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(font=font)
        self._texts[key] = static
        return static
