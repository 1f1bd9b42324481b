"""The alarm queue's header band: counts per level and per domain, flood and annunciation."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backend_client.city import DOMAINS
from backend_client.model.alarm_queue import QueueCounts
from widgets.style_flags import set_style_flag
from widgets.vocabulary import count, domain_code, level_name, level_symbol


class QueueHeader(QFrame):
    """Read from across the room: level chips (symbol and count), domains, flood, the horn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmQueueHeader")
        top = QHBoxLayout()
        top.setSpacing(6)
        title = QLabel(QCoreApplication.translate("AlarmQueue", "ALARMS"), self)
        title.setObjectName("panelTitle")
        top.addWidget(title)
        self.counts: dict[int, QLabel] = {}
        for level in (1, 2, 3, 4):
            label = QLabel(self)
            label.setObjectName("levelCount")
            label.setProperty("level", str(level))  # colour comes from the QSS theme
            label.setToolTip(level_name(level))
            self.counts[level] = label
            top.addWidget(label)
        top.addStretch(1)
        self.silence_button = QPushButton(
            QCoreApplication.translate("AlarmQueue", "Silence (S)"), self
        )
        self.silence_button.setObjectName("silenceButton")
        self.silence_button.setEnabled(False)
        top.addWidget(self.silence_button)
        second = QHBoxLayout()
        second.setSpacing(6)
        self.unacked = QLabel(self)
        self.unacked.setObjectName("unackCount")
        second.addWidget(self.unacked)
        self.domains: dict[str, QLabel] = {}
        for domain in DOMAINS:
            label = QLabel(self)
            label.setObjectName("domainCount")
            self.domains[domain] = label
            second.addWidget(label)
        second.addStretch(1)
        self.flood = QLabel(self)
        self.flood.setObjectName("floodBanner")
        self.flood.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        second.addWidget(self.flood, 3)
        self.annunciation = QLabel(self)
        self.annunciation.setObjectName("annunciationBanner")
        self.annunciation.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        second.addWidget(self.annunciation, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(second)
        self.flood.hide()
        self.annunciation.hide()
        self.show_counts(QueueCounts({}, {}, 0, 0, 0))

    def show_counts(self, counts: QueueCounts) -> None:
        for level, label in self.counts.items():
            label.setText(f"{level_symbol(level)}  {count(counts.by_level.get(level, 0))}")
        unacked = QCoreApplication.translate("AlarmQueue", "{n} unacknowledged")
        self.unacked.setText(unacked.format(n=count(counts.unacked)))
        for domain, label in self.domains.items():
            n = counts.by_domain.get(domain, 0)
            label.setText(f"{domain_code(domain)} {count(n)}")
            label.setVisible(n > 0)  # room for the wall's large type: domains with alarms only

    def show_flood(self, flooding: bool, raised: int, grouped: bool) -> None:
        self.flood.setVisible(flooding)
        if flooding:
            text = (
                QCoreApplication.translate(
                    "AlarmQueue", "⚠ FLOOD  {n} alarms in 10 min · grouped by asset"
                )
                if grouped
                else QCoreApplication.translate("AlarmQueue", "⚠ FLOOD  {n} alarms in 10 min")
            )
            self.flood.setText(text.format(n=count(raised)))

    def show_annunciation(self, text: str) -> None:
        self.annunciation.setVisible(bool(text))
        self.annunciation.setText(f"♪ {annunciation_text(text)}" if text else "")
        self.silence_button.setEnabled(bool(text))
        set_style_flag(self.silence_button, "sounding", "true" if text else "false")


def annunciation_text(banner: str) -> str:
    """The core's banner ("New level I/II alarm", "3 more alarms") in the seat's language."""
    if banner == "New level I/II alarm":
        return QCoreApplication.translate("AlarmQueue", "New level I/II alarm")
    n, _, rest = banner.partition(" ")
    if n.isdigit() and rest == "more alarm":
        return QCoreApplication.translate("AlarmQueue", "{n} more alarm").format(n=n)
    if n.isdigit() and rest == "more alarms":
        return QCoreApplication.translate("AlarmQueue", "{n} more alarms").format(n=n)
    return banner
