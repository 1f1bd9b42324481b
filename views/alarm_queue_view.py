"""The alarm queue: counts per level, the table, and acknowledge with a comment."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState
from widgets.alarm_table import LEVEL_SYMBOL, AlarmTable, AlarmTableModel

FLASH_INTERVAL_MS = 700  # under 1 Hz, well below the 3 Hz photosensitivity limit
MANDATORY_COMMENT_LEVELS = (1, 2)


class AlarmQueueView(QWidget):
    """Presents the alarm book; acknowledgement is forwarded as intent, never applied locally."""

    acknowledgeRequested = Signal(str, str)  # alarm id, comment
    showInSceneRequested = Signal(int)  # channel

    def __init__(self, model: ConsoleModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.table_model = AlarmTableModel(self)
        self.table = AlarmTable(self.table_model, self)
        self.counts: dict[int, QLabel] = {}
        header = QHBoxLayout()
        title = QLabel("ALARMS", self)
        title.setObjectName("panelTitle")
        header.addWidget(title)
        for level in (1, 2, 3, 4):
            label = QLabel(self)
            label.setObjectName("levelCount")
            label.setProperty("level", str(level))  # colour comes from the QSS theme
            self.counts[level] = label
            header.addWidget(label)
        self.unacked = QLabel(self)
        self.unacked.setObjectName("unackCount")
        header.addWidget(self.unacked)
        header.addStretch(1)
        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText("Comment (required for level I and II)")
        self.ack_button = QPushButton("Acknowledge (A)", self)
        self.ack_button.setObjectName("ackButton")
        self.locate_button = QPushButton("Show in 3D", self)
        self.message = QLabel(self)
        self.message.setObjectName("actionMessage")
        actions = QHBoxLayout()
        actions.addWidget(self.comment, 1)
        actions.addWidget(self.ack_button)
        actions.addWidget(self.locate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self.ack_button.clicked.connect(self._ack_current)
        self.comment.returnPressed.connect(self._ack_current)
        self.table.acknowledgeRequested.connect(lambda _id: self._ack_current())
        self.locate_button.clicked.connect(self._locate_current)
        self.table.alarmActivated.connect(lambda _id: self._locate_current())
        self._flash_on = True
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_INTERVAL_MS)
        self._flash.timeout.connect(self._toggle_flash)
        self._flash.start()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the alarm book, keeping the operator's current row."""
        current = self.table.current_alarm()
        alarms = self.model.alarms.active()
        self.table_model.set_sensors(self.model.sensors)
        self.table_model.set_alarms(alarms)
        for level, label in self.counts.items():
            n = sum(1 for a in alarms if a.level == level and a.state != AlarmState.SHELVED)
            label.setText(f" {LEVEL_SYMBOL[level]}: {n} ")
        unacked = sum(1 for a in alarms if a.state in (AlarmState.UNACK, AlarmState.RTN_UNACK))
        self.unacked.setText(f"  {unacked} unacknowledged")
        if current is not None:
            row = self.table_model.row_of(current.id)
            if row >= 0:
                self.table.selectRow(row)

    def refresh_values(self) -> None:
        """Live values move between alarm changes; called a few times a second."""
        self.table_model.set_live_values(self.model.buffers.latest().values)

    def select_alarm(self, alarm_id: str) -> None:
        row = self.table_model.row_of(alarm_id)
        if row >= 0:
            self.table.selectRow(row)

    def _toggle_flash(self) -> None:
        self._flash_on = not self._flash_on
        self.table_model.set_flash(self._flash_on)

    def _ack_current(self) -> None:
        alarm = self.table.current_alarm()
        if alarm is None:
            self.show_message("Select an alarm to acknowledge.")
            return
        comment = self.comment.text().strip()
        if alarm.level in MANDATORY_COMMENT_LEVELS and not comment:
            self.show_message(f"A comment is required to acknowledge a level {alarm.level} alarm.")
            self.comment.setFocus()
            return
        self.acknowledgeRequested.emit(alarm.id, comment)
        self.comment.clear()

    def _locate_current(self) -> None:
        alarm = self.table.current_alarm()
        if alarm is not None:
            self.showInSceneRequested.emit(alarm.channel)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
