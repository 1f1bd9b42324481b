"""The always-visible status line: link state, data rate, dropped data and local time."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QStatusBar

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import LinkState

LINK_TEXT = {
    LinkState.CONNECTING: "CONNECTING",
    LinkState.LIVE: "LIVE",
    LinkState.STALE: "STALE",
    LinkState.DOWN: "DOWN",
    LinkState.REPLAY: "REPLAY",
}


class StatusView(QStatusBar):
    """Reads counters from the model twice a second; never per message."""

    def __init__(self, model: ConsoleModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.link = QLabel(self)
        self.link.setObjectName("linkState")
        self.backend = QLabel(self)
        self.rate = QLabel(self)
        self.problems = QLabel(self)
        self.clock = QLabel(self)
        self.clock.setObjectName("clock")
        self.addWidget(self.link)
        self.addWidget(self.backend)
        self.addWidget(self.rate)
        self.addWidget(self.problems, 1)
        self.addPermanentWidget(self.clock)
        self.refresh()

    def refresh(self) -> None:
        state = str(self.model.link)
        if self.link.property("link") != state:
            self.link.setProperty("link", state)  # colour comes from the QSS theme
            self.link.style().unpolish(self.link)
            self.link.style().polish(self.link)
        self.link.setText(f"  ● {LINK_TEXT[self.model.link]}  ")
        self.backend.setText(self.model.backend_name or "no backend")
        stats = self.model.stats
        self.rate.setText(f"{stats.rate_msgs:,.0f} msg/s · {stats.rate_samples:,.0f} samples/s")
        issues = []
        if stats.malformed:
            issues.append(f"{stats.malformed} malformed")
        if stats.lost_batches:
            issues.append(f"{stats.lost_batches} batches lost")
        if stats.shed_samples:
            issues.append(f"{stats.shed_samples} samples shed")
        self.problems.setText(" · ".join(issues))
        # the model's clock: the wall clock live, the replay position in a replay
        self.clock.setText(datetime.fromtimestamp(self.model.clock()).strftime("%Y-%m-%d %H:%M:%S"))
