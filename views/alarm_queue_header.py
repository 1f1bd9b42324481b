"""The alarm queue's header band: counts per level and per domain, flood and annunciation."""

from __future__ import annotations

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
from widgets.alarm_table_model import LEVEL_SYMBOL


def set_style_flag(widget: QWidget, name: str, value: str) -> None:
    """Set a dynamic property the QSS theme selects on, and re-apply the theme if it changed."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class QueueHeader(QFrame):
    """Read from across the room: level chips (symbol and count), domains, flood, the horn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmQueueHeader")
        top = QHBoxLayout()
        top.setSpacing(6)
        title = QLabel("ALARMS", self)
        title.setObjectName("panelTitle")
        top.addWidget(title)
        self.counts: dict[int, QLabel] = {}
        for level in (1, 2, 3, 4):
            label = QLabel(self)
            label.setObjectName("levelCount")
            label.setProperty("level", str(level))  # colour comes from the QSS theme
            self.counts[level] = label
            top.addWidget(label)
        top.addStretch(1)
        self.silence_button = QPushButton("Silence (S)", self)
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
            label.setText(f"{LEVEL_SYMBOL[level]}  {counts.by_level.get(level, 0)}")
        self.unacked.setText(f"{counts.unacked} unacknowledged")
        for domain, label in self.domains.items():
            n = counts.by_domain.get(domain, 0)
            label.setText(f"{domain.upper()} {n}")
            label.setVisible(n > 0)  # room for the wall's large type: domains with alarms only

    def show_flood(self, flooding: bool, raised: int, grouped: bool) -> None:
        self.flood.setVisible(flooding)
        if flooding:
            how = " · grouped by asset" if grouped else ""
            self.flood.setText(f"⚠ FLOOD  {raised} alarms in 10 min{how}")

    def show_annunciation(self, text: str) -> None:
        self.annunciation.setVisible(bool(text))
        self.annunciation.setText(f"♪ {text}" if text else "")
        self.silence_button.setEnabled(bool(text))
        set_style_flag(self.silence_button, "sounding", "true" if text else "false")
