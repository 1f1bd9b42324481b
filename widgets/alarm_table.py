"""The alarm queue table: one row per alarm; level by colour, symbol and text; unacked flash."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from backend_client.city import Sensor
from backend_client.protocol import LEVEL_COLOURS, AlarmRecord, AlarmState, Level

LEVEL_SYMBOL = {1: "▲ I", 2: "◆ II", 3: "■ III", 4: "● IV"}
STATE_TEXT = {
    AlarmState.UNACK: "UNACK",
    AlarmState.ACKED: "ACKED",
    AlarmState.RTN_UNACK: "CLEARED · UNACK",
    AlarmState.SHELVED: "SHELVED",
    AlarmState.SUPPRESSED: "SUPPRESSED",
    AlarmState.OUT_OF_SERVICE: "OUT OF SERVICE",
    AlarmState.NORMAL: "NORMAL",
}
COLUMNS = ("Level", "State", "Raised", "Sensor", "Area", "Live value", "Limit", "Message")
_Index = QModelIndex | QPersistentModelIndex


def local_time(us: int) -> str:
    """Wall clocks show local time; the wire is UTC."""
    return datetime.fromtimestamp(us / 1e6).strftime("%H:%M:%S")


class AlarmTableModel(QAbstractTableModel):
    """Rows in queue order; the table is replaced per frame at most, never per change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._alarms: list[AlarmRecord] = []
        self._sensors: tuple[Sensor, ...] = ()
        self._flash_on = True
        self._live: np.ndarray = np.zeros(0, dtype=np.float32)

    def set_live_values(self, values: np.ndarray) -> None:
        """Latest value per channel; the Value column shows it, the Limit column the threshold."""
        self._live = values
        if self._alarms:
            self.dataChanged.emit(self.index(0, 5), self.index(len(self._alarms) - 1, 5))

    def set_sensors(self, sensors: tuple[Sensor, ...]) -> None:
        self._sensors = sensors

    def set_alarms(self, alarms: list[AlarmRecord]) -> None:
        self.beginResetModel()
        self._alarms = alarms
        self.endResetModel()

    def set_flash(self, on: bool) -> None:
        """Toggle the flash phase of unacknowledged rows (driven at <= 1 Hz by the view)."""
        self._flash_on = on
        if self._alarms:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._alarms) - 1, 1))

    def alarm_at(self, row: int) -> AlarmRecord | None:
        return self._alarms[row] if 0 <= row < len(self._alarms) else None

    def row_of(self, alarm_id: str) -> int:
        return next((i for i, a in enumerate(self._alarms) if a.id == alarm_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._alarms)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        alarm = self.alarm_at(index.row())
        if alarm is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(alarm, col)
        unacked = alarm.state in (AlarmState.UNACK, AlarmState.RTN_UNACK)
        colour = QColor(LEVEL_COLOURS[Level(alarm.level)])
        if role == Qt.ItemDataRole.BackgroundRole and col in (0, 1):
            if unacked and not self._flash_on:
                return QColor("#1b2430")
            return colour
        if role == Qt.ItemDataRole.ForegroundRole:
            if col in (0, 1):
                dark_text = alarm.level in (2, 3) and (self._flash_on or not unacked)
                return QColor("#10151b") if dark_text else QColor("#ffffff")
            return QColor("#f4f7fa") if unacked else QColor("#a9b4c0")
        if role == Qt.ItemDataRole.FontRole and unacked:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return alarm.text
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, alarm: AlarmRecord, col: int) -> str:
        sensor = self._sensors[alarm.channel] if 0 <= alarm.channel < len(self._sensors) else None
        unit = sensor.unit if sensor else ""
        match col:
            case 0:
                return LEVEL_SYMBOL.get(alarm.level, str(alarm.level))
            case 1:
                return STATE_TEXT[alarm.state]
            case 2:
                return local_time(alarm.raised_us)
            case 3:
                return sensor.name if sensor else alarm.sensor
            case 4:
                return sensor.area if sensor else ""
            case 5:
                live = self._live[alarm.channel] if alarm.channel < len(self._live) else np.nan
                value = float(live) if np.isfinite(live) else alarm.value
                return f"{value:.2f} {unit}"
            case 6:
                return f"{alarm.limit:g} {unit}"
            case _:
                return alarm.text


class AlarmTable(QTableView):
    """Keyboard first: arrows move, Enter opens details, A acknowledges."""

    alarmActivated = Signal(str)
    acknowledgeRequested = Signal(str)
    currentAlarmChanged = Signal(str)

    def __init__(self, model: AlarmTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(34)  # readable rows for a wall
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.doubleClicked.connect(self._activate)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def _alarm_model(self) -> AlarmTableModel:
        model = self.model()
        assert isinstance(model, AlarmTableModel)
        return model

    def current_alarm(self) -> AlarmRecord | None:
        return self._alarm_model().alarm_at(self.currentIndex().row())

    def _activate(self, index: QModelIndex) -> None:
        alarm = self._alarm_model().alarm_at(index.row())
        if alarm is not None:
            self.alarmActivated.emit(alarm.id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        alarm = self._alarm_model().alarm_at(current.row())
        if alarm is not None:
            self.currentAlarmChanged.emit(alarm.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alarm = self.current_alarm()
        if alarm is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.alarmActivated.emit(alarm.id)
            return
        if alarm is not None and event.key() == Qt.Key.Key_A:
            self.acknowledgeRequested.emit(alarm.id)
            return
        super().keyPressEvent(event)
