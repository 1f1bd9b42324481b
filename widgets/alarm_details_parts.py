"""The pieces of the alarm details panel: header, facts, loop history table and step buttons.

Presentation only: they are given records and choices and never read the model or the client.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
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
    PANEL_STEPS,
    StepChoice,
)
from backend_client.protocol import AlarmRecord, AlarmStep
from widgets.style_flags import set_style_flag
from widgets.vocabulary import (
    action_done,
    date_time_us,
    level_name,
    level_symbol,
    loop_stage,
    role_name,
    state_long,
    step_label,
    time_of_day_us,
    verdict,
)


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
        self.badge.setText(level_symbol(alarm.level))
        self.badge.setToolTip(level_name(alarm.level))
        self.title.setText(alarm.text or alarm.sensor)
        self.title.setToolTip(f"{alarm.id}\n{alarm.text}")
        flags = [state_long(alarm.state)]
        if not in_book:
            flags = [QCoreApplication.translate("AlarmDetails", "Returned to normal")]
        if alarm.latched:
            flags.append(QCoreApplication.translate("AlarmDetails", "latched"))
        if alarm.chattering:
            flags.append(QCoreApplication.translate("AlarmDetails", "chattering"))
        if alarm.exercise:
            flags.insert(0, QCoreApplication.translate("AlarmDetails", "EXERCISE"))
        self.state.setText(" · ".join(flags))
        set_style_flag(self.state, "state", str(alarm.state) if in_book else "normal")
        said = f" ({verdict(alarm.verdict)})" if alarm.verdict else ""
        loop = QCoreApplication.translate("AlarmDetails", "Loop: {stage}")
        self.loop.setText(loop.format(stage=loop_stage(alarm.loop)) + said)
        set_style_flag(self.loop, "stage", str(alarm.loop) or "none")


class FactsGrid(QFrame):
    """Label/value rows; values are selectable so an operator can copy an id into a phone log."""

    ROWS = (
        ("sensor", QT_TRANSLATE_NOOP("AlarmDetails", "Sensor")),
        ("value", QT_TRANSLATE_NOOP("AlarmDetails", "Live value")),
        ("trigger", QT_TRANSLATE_NOOP("AlarmDetails", "Alarm value")),
        ("limits", QT_TRANSLATE_NOOP("AlarmDetails", "Limits")),
        ("raised", QT_TRANSLATE_NOOP("AlarmDetails", "Raised")),
        ("responsible", QT_TRANSLATE_NOOP("AlarmDetails", "Responsible")),
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
            name = QLabel(QCoreApplication.translate("AlarmDetails", label), self)
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

    HEADERS = (
        QT_TRANSLATE_NOOP("AlarmDetails", "Time"),
        QT_TRANSLATE_NOOP("AlarmDetails", "Action"),
        QT_TRANSLATE_NOOP("AlarmDetails", "User"),
        QT_TRANSLATE_NOOP("AlarmDetails", "Role"),
        QT_TRANSLATE_NOOP("AlarmDetails", "Host"),
        QT_TRANSLATE_NOOP("AlarmDetails", "Note"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setObjectName("loopHistory")
        self.setHorizontalHeaderLabels(
            [QCoreApplication.translate("AlarmDetails", h) for h in self.HEADERS]
        )
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
        rows = [shown_step(s) for s in steps]
        if rows == self._rows:
            return
        self._rows = rows
        self.setRowCount(len(rows))
        for r, (cells, step) in enumerate(zip(rows, steps, strict=True)):
            for c, text in enumerate(cells):
                # the date is in the tip
                item = QTableWidgetItem(time_of_day_us(step.time_us) if c == 0 else text)
                item.setToolTip(text)
                self.setItem(r, c, item)
        self.scrollToBottom()

    def row_texts(self, row: int) -> tuple[str, ...]:
        """Full texts of a row (the time with its date), as shown_step gave them."""
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
            button = QPushButton(step_label(key, label), self)
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


def shown_step(step: AlarmStep) -> tuple[str, str, str, str, str, str]:
    """(time, action, user, role, host, note) of a loop step in the seat's language and formats."""
    action = action_done(step.action)
    if step.detail:
        action = f"{action} ({verdict(step.detail)})"
    role = role_name(step.role)
    return (date_time_us(step.time_us), action, step.user, role, step.host, step.note)


def section_label(text: str, parent: QWidget) -> QLabel:
    """text: already translated by the caller (lupdate reads the literal there)."""
    label = QLabel(text, parent)
    label.setObjectName("detailsSection")
    return label
