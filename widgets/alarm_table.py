"""The wall alarm table: keyboard first, large type, only flashing cells repaint on the flash."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPaintEvent, QRegion
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from backend_client.model.alarm_queue import AssetGroup
from backend_client.protocol import AlarmRecord
from widgets.alarm_cells import AlarmCellDelegate
from widgets.alarm_table_model import (
    ALARM_ONLY_COLUMNS,
    FLASH_COLUMNS,
    AlarmTableModel,
    column_samples,
)


class AlarmTable(QTableView):
    """Keyboard first: arrows move, Enter opens details (or a group), A or Space acknowledges."""

    detailsRequested = Signal(str)  # alarm id
    groupOpened = Signal(str)  # asset
    acknowledgeRequested = Signal(str)
    currentAlarmChanged = Signal(str)

    def __init__(self, model: AlarmTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never per-row scans
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self._cells = AlarmCellDelegate(model, self)
        self.setItemDelegate(self._cells)
        model.modelReset.connect(self._show_columns_for_mode)
        self.doubleClicked.connect(self._activate)
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        self.fit_to_font()

    def _alarm_model(self) -> AlarmTableModel:
        model = self.model()
        assert isinstance(model, AlarmTableModel)
        return model

    def fit_to_font(self) -> None:
        """Row height and column widths follow the (style-sheet scaled) font, never the rows."""
        metrics = self.fontMetrics()
        self._alarm_model().set_base_font(self.font())
        self._cells.set_font(self.font(), self.palette().text().color())
        self.verticalHeader().setDefaultSectionSize(int(metrics.height() * 1.55))
        for col, samples in enumerate(column_samples()[:-1]):  # translations may be wider
            widest = max(metrics.horizontalAdvance(sample) for sample in samples)
            self.setColumnWidth(col, widest * 115 // 100 + 24)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        columns = tuple(
            (col, self.columnViewportPosition(col), self.columnWidth(col))
            for col in range(self.model().columnCount())
            if not self.isColumnHidden(col)
        )
        self._cells.begin_paint(
            self.currentIndex().row() if self.selectionModel().hasSelection() else -1,
            columns,
            (self.viewport().width(), self.viewport().height()),
            self.devicePixelRatioF(),
            (
                palette.base().color(),
                palette.highlight().color(),
                palette.highlightedText().color(),
            ),
        )
        super().paintEvent(event)

    def _show_columns_for_mode(self) -> None:
        grouped = self._alarm_model().grouped
        for col in ALARM_ONLY_COLUMNS:
            self.setColumnHidden(col, grouped)

    def current_alarm(self) -> AlarmRecord | None:
        return self._alarm_model().alarm_at(self.currentIndex().row())

    def current_group(self) -> AssetGroup | None:
        return self._alarm_model().group_at(self.currentIndex().row())

    def repaint_flashing(self) -> int:
        """Repaint the level and state cells of flashing rows on screen; returns how many."""
        model = self._alarm_model()
        rows = model.rowCount()
        if not rows:
            return 0
        first = max(0, self.rowAt(0))
        last = self.rowAt(self.viewport().height() - 1)
        last = rows - 1 if last < 0 else last
        region = QRegion()
        n = 0
        for row in range(first, last + 1):
            if model.row_flashes(row):
                left = self.visualRect(model.index(row, FLASH_COLUMNS[0]))
                right = self.visualRect(model.index(row, FLASH_COLUMNS[-1]))
                region += left.united(right)
                n += 1
        if n:
            self.viewport().update(region)
        return n

    def _activate(self, index: QModelIndex) -> None:
        model = self._alarm_model()
        group = model.group_at(index.row())
        if group is not None:
            self.groupOpened.emit(group.asset)
            return
        alarm = model.alarm_at(index.row())
        if alarm is not None:
            self.detailsRequested.emit(alarm.id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        alarm = self._alarm_model().alarm_at(current.row())
        if alarm is not None:
            self.currentAlarmChanged.emit(alarm.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            return
        if key in (Qt.Key.Key_A, Qt.Key.Key_Space):
            alarm = self.current_alarm()
            if alarm is not None:
                self.acknowledgeRequested.emit(alarm.id)
            return
        super().keyPressEvent(event)
