"""The pieces of the alarm details panel: header, facts, loop history table and step buttons.

Presentation only: they are given records and choices and never read the model or the client.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from backend_client.model.alarm_details import (
    LEVEL_BADGE,
    LOOP_TEXT,
    PANEL_STEPS,
    STATE_TEXT,
    StepChoice,
    step_row,
)
from backend_client.protocol import AlarmRecord, AlarmStep


def set_style_flag(widget: QWidget, name: str, value: str) -> None:
    """Set a dynamic property the QSS theme selects on; re-polish only when it changed."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class DetailsHeader(QFrame):
    """Level badge (shape, numeral and colour), what the alarm is, its state and loop stage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsHeader")
        self.badge = QLabel("", self)
        self.badge.setObjectName("detailsLevel")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel("", self)
        self.title.setObjectName("detailsTitle")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.state = QLabel("", self)
        self.state.setObjectName("detailsState")
        self.loop = QLabel("", self)
        self.loop.setObjectName("detailsLoop")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(8)
        layout.addWidget(self.badge)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.loop)

    def show_alarm(self, alarm: AlarmRecord, in_book: bool) -> None:
        set_style_flag(self.badge, "level", str(alarm.level))
        self.badge.setText(LEVEL_BADGE.get(alarm.level, str(alarm.level)))
        self.title.setText(alarm.text or alarm.sensor)
        self.title.setToolTip(f"{alarm.id}\n{alarm.text}")
        flags = [STATE_TEXT.get(alarm.state, str(alarm.state))]
        if not in_book:
            flags = ["Returned to normal"]
        if alarm.latched:
            flags.append("latched")
        if alarm.chattering:
            flags.append("chattering")
        if alarm.exercise:
            flags.insert(0, "EXERCISE")
        self.state.setText(" · ".join(flags))
        set_style_flag(self.state, "state", str(alarm.state) if in_book else "normal")
        verdict = f" ({alarm.verdict})" if alarm.verdict else ""
        self.loop.setText(f"Loop: {LOOP_TEXT.get(alarm.loop, str(alarm.loop))}{verdict}")
        set_style_flag(self.loop, "stage", str(alarm.loop) or "none")


class FactsGrid(QFrame):
    """Label/value rows; values are selectable so an operator can copy an id into a phone log."""

    ROWS = (
        ("sensor", "Sensor"),
        ("value", "Live value"),
        ("trigger", "Alarm value"),
        ("limits", "Limits"),
        ("raised", "Raised"),
        ("responsible", "Responsible"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsFacts")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 2, 6, 2)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        for row, (key, label) in enumerate(self.ROWS):
            name = QLabel(label, self)
            name.setObjectName("detailsKey")
            value = QLabel("—", self)
            value.setObjectName(f"detailsValue-{key}")
            value.setProperty("fact", key)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.values[key] = value
        grid.setColumnStretch(1, 1)

    def set(self, key: str, text: str) -> None:
        self.values[key].setText(text)
        self.values[key].setToolTip(text)


class LoopHistoryTable(QTableWidget):
    """One row per closed-loop step: time, action, user, role, host, note; oldest first."""

    HEADERS = ("Time", "Action", "User", "Role", "Host", "Note")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setObjectName("loopHistory")
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        for column in range(len(self.HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(22)
        self._rows: list[tuple[str, ...]] = []

    def show_steps(self, steps: tuple[AlarmStep, ...]) -> None:
        rows = [step_row(s) for s in steps]
        if rows == self._rows:
            return
        self._rows = rows
        self.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text[11:] if c == 0 else text)  # the date is in the tip
                item.setToolTip(text)
                self.setItem(r, c, item)
        self.scrollToBottom()

    def row_texts(self, row: int) -> tuple[str, ...]:
        """Full texts of a row (the time with its date), as step_row gave them."""
        return self._rows[row]


STEP_COLUMNS = 2


class StepButtons(QWidget):
    """One button per step; hidden when the role may not take it, disabled out of loop order."""

    stepClicked = Signal(str)  # the PANEL_STEPS key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepButtons")
        self.buttons: dict[str, QPushButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        for key, label, _action in PANEL_STEPS:
            button = QPushButton(label, self)
            button.setObjectName("stepButton")
            button.setProperty("step", key)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, k=key: self.stepClicked.emit(k))
            button.hide()
            self.buttons[key] = button
        self._shown: tuple[str, ...] = ()

    def show_choices(self, choices: list[StepChoice], busy: bool, why_disabled: str) -> None:
        """Only the given steps are shown; a busy panel (a step in flight) disables them all."""
        offered = {c.key: c for c in choices}
        shown = tuple(c.key for c in choices)
        if shown != self._shown:  # flow the visible buttons into rows, no gaps for hidden ones
            self._shown = shown
            for button in self.buttons.values():
                self._grid.removeWidget(button)
            for i, key in enumerate(shown):
                self._grid.addWidget(self.buttons[key], i // STEP_COLUMNS, i % STEP_COLUMNS)
        for key, button in self.buttons.items():
            choice = offered.get(key)
            button.setVisible(choice is not None)
            if choice is not None:
                button.setEnabled(choice.enabled and not busy)
                button.setToolTip("" if choice.enabled else why_disabled)

    def visible_keys(self) -> list[str]:
        return [k for k, b in self.buttons.items() if not b.isHidden()]


def section_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("detailsSection")
    return label
