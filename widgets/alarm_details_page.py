"""The alarm details page's widgets and layout: header, facts and guidance beside the actions,
the 30-minute trend, and the closed-loop history. The view binds them to the model."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from widgets.alarm_details_parts import (
    DetailsHeader,
    FactsGrid,
    LoopHistoryTable,
    StepButtons,
    section_label,
)
from widgets.plot_panel import PlotPanel

DEFAULT_SHELVE_MIN = 30.0


class AlarmDetailsPage(QWidget):
    """Made to fit a narrow dock (about 400 px): long texts clip, with the full text as a tip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmDetailsPage")
        self.header = DetailsHeader(self)
        self.locate_button = QPushButton(
            QCoreApplication.translate("AlarmDetails", "Show in 3D"), self
        )
        self.locate_button.setObjectName("detailsTool")
        self.locate_button.setToolTip(
            QCoreApplication.translate("AlarmDetails", "Fly the 3D view to the sensor")
        )
        self.trend_button = QPushButton(
            QCoreApplication.translate("AlarmDetails", "Show trend"), self
        )
        self.trend_button.setObjectName("detailsTool")
        self.trend_button.setToolTip(
            QCoreApplication.translate("AlarmDetails", "Put the sensor in Live plots")
        )
        self.facts = FactsGrid(self)
        self.guidance = QPlainTextEdit(self)
        self.guidance.setObjectName("detailsGuidance")
        self.guidance.setReadOnly(True)
        self.guidance.setMinimumHeight(44)
        self.guidance.setMaximumHeight(80)  # scrolls beyond; the trend needs the height more
        self.steps = StepButtons(self)
        self.note = QLineEdit(self)
        self.note.setObjectName("detailsNote")
        self.note.setPlaceholderText(QCoreApplication.translate("AlarmDetails", "Note / reason"))
        self.note.setToolTip(
            QCoreApplication.translate(
                "AlarmDetails", "Required to acknowledge level I-II alarms and to shelve"
            )
        )
        self.minutes = QDoubleSpinBox(self)
        self.minutes.setObjectName("shelveMinutes")
        self.minutes.setRange(1.0, 24 * 60.0)
        self.minutes.setDecimals(0)
        self.minutes.setValue(DEFAULT_SHELVE_MIN)
        self.minutes.setSuffix(QCoreApplication.translate("AlarmDetails", " min"))
        self.minutes.setToolTip(
            QCoreApplication.translate("AlarmDetails", "How long Shelve hides the alarm")
        )
        self.message = QLabel("", self)
        self.message.setObjectName("detailsMessage")
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.role_label = QLabel("", self)
        self.role_label.setObjectName("detailsRole")
        self.trend = PlotPanel(self)
        self.trend.setObjectName("detailsTrend")
        self.trend.title.hide()  # the section bar above names it; the facts name the sensor
        self.trend.setMinimumHeight(140)
        self.history = LoopHistoryTable(self)
        self.history.setMinimumHeight(84)
        self.export_button = QPushButton(
            QCoreApplication.translate("AlarmDetails", "Export CSV…"), self
        )
        self.export_button.setObjectName("exportHistoryButton")
        self.export_button.setToolTip(
            QCoreApplication.translate(
                "AlarmDetails", "Save this alarm's closed-loop history from the archive"
            )
        )

        info = QVBoxLayout()
        info.setSpacing(2)
        info.addWidget(self.facts)
        info.addWidget(section_label(QCoreApplication.translate("AlarmDetails", "Guidance"), self))
        info.addWidget(self.guidance, 1)
        self.actions_title = section_label(
            QCoreApplication.translate("AlarmDetails", "Actions"), self
        )
        actions_bar = QHBoxLayout()
        actions_bar.addWidget(self.actions_title)
        actions_bar.addStretch(1)
        actions_bar.addWidget(self.role_label)
        note_row = QHBoxLayout()
        note_row.setSpacing(4)
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.minutes)
        actions = QVBoxLayout()
        actions.setSpacing(3)
        actions.addLayout(actions_bar)
        actions.addWidget(self.steps)
        actions.addLayout(note_row)
        actions.addWidget(self.message)
        actions.addStretch(1)
        middle = QHBoxLayout()
        middle.setSpacing(10)
        middle.addLayout(info, 1)
        middle.addLayout(actions, 1)
        trend_bar = QHBoxLayout()
        trend_bar.addWidget(
            section_label(QCoreApplication.translate("AlarmDetails", "Trend, last 30 min"), self)
        )
        trend_bar.addStretch(1)
        trend_bar.addWidget(self.locate_button)
        trend_bar.addWidget(self.trend_button)
        history_bar = QHBoxLayout()
        history_bar.addWidget(
            section_label(QCoreApplication.translate("AlarmDetails", "Closed-loop history"), self)
        )
        history_bar.addStretch(1)
        history_bar.addWidget(self.export_button)
        page_layout = QVBoxLayout(self)
        page_layout.setContentsMargins(4, 4, 4, 4)
        page_layout.setSpacing(4)
        page_layout.addWidget(self.header)
        page_layout.addLayout(middle)
        page_layout.addLayout(trend_bar)
        page_layout.addWidget(self.trend, 3)
        page_layout.addLayout(history_bar)
        page_layout.addWidget(self.history, 1)
