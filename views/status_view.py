"""The always-visible status line: link state, mode, data rate, dropped data, who is at the seat
and the local time."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import LinkState
from widgets.style_flags import set_style_flag
from widgets.vocabulary import count, date_time, link_state, number, role_name

MODES = {
    "LIVE": QT_TRANSLATE_NOOP("StatusView", "Mode: LIVE"),
    "REPLAY": QT_TRANSLATE_NOOP("StatusView", "Mode: REPLAY"),
    "EXERCISE": QT_TRANSLATE_NOOP("StatusView", "Mode: EXERCISE"),
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
        self.mode = QLabel(self)
        self.mode.setObjectName("seatMode")
        self.seat = QLabel(self)
        self.seat.setObjectName("seatUser")
        self.clock = QLabel(self)
        self.clock.setObjectName("clock")
        self.addWidget(self.link)
        self.addWidget(self.mode)
        self.addWidget(self.backend)
        self.addWidget(self.rate)
        self.addWidget(self.problems, 1)
        self.addPermanentWidget(self.seat)
        self.addPermanentWidget(self.clock)
        self.refresh()

    def set_seat(self, user: str, role: str) -> None:
        """Who is at this seat, as the backend knows them (after a login, its word)."""
        self.seat.setText(
            QCoreApplication.translate("StatusView", "{user} · {role}").format(
                user=user, role=role_name(role)
            )
        )

    def current_mode(self) -> str:
        """REPLAY while a recording plays, EXERCISE while a drill's alarms stand, else LIVE."""
        if self.model.link == LinkState.REPLAY:
            return "REPLAY"
        if any(a.exercise for a in self.model.alarms.active()):
            return "EXERCISE"
        return "LIVE"

    def refresh(self) -> None:
        state = str(self.model.link)
        set_style_flag(self.link, "link", state)  # colour comes from the QSS theme
        self.link.setText(f"  ● {link_state(self.model.link)}  ")
        mode = self.current_mode()
        if set_style_flag(self.mode, "mode", mode):  # colour comes from the QSS theme
            self.mode.setText(f" {QCoreApplication.translate('StatusView', MODES[mode])} ")
        self.backend.setText(
            self.model.backend_name or QCoreApplication.translate("StatusView", "no backend")
        )
        stats = self.model.stats
        self.rate.setText(
            QCoreApplication.translate("StatusView", "{msgs} msg/s · {samples} samples/s").format(
                msgs=number(stats.rate_msgs), samples=number(stats.rate_samples)
            )
        )
        issues = []
        if stats.malformed:
            text = QCoreApplication.translate("StatusView", "{n} malformed")
            issues.append(text.format(n=count(stats.malformed)))
        if stats.lost_batches:
            text = QCoreApplication.translate("StatusView", "{n} batches lost")
            issues.append(text.format(n=count(stats.lost_batches)))
        if stats.shed_samples:
            text = QCoreApplication.translate("StatusView", "{n} samples shed")
            issues.append(text.format(n=count(stats.shed_samples)))
        self.problems.setText(" · ".join(issues))
        # the model's clock: the wall clock live, the replay position in a replay
        self.clock.setText(date_time(self.model.clock()))
