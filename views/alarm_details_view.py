"""The selected alarm in full: value, 30-minute trend, guidance, closed-loop history and steps.

Steps go to the backend as requests; the panel changes only on the backend's answer, and a
refusal is shown as the backend worded it. What the role may do comes from the backend's policy.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backend_client.codec import alarm_from_wire
from backend_client.model.alarm_book import AlarmCursor
from backend_client.model.alarm_details import (
    ACTION_TEXT,
    PANEL_STEPS,
    ROMAN_LEVEL,
    AlarmDetails,
    AlarmSteps,
    send_step,
    step_choices,
    write_export,
)
from backend_client.model.console_model import ConsoleModel
from backend_client.model.role_policy import RolePolicy, load_policy_file
from backend_client.protocol import Op
from views.plot_feed import PlotFeed, WhenDone
from widgets.alarm_details_page import AlarmDetailsPage
from widgets.sensor_plot import CurveSpec
from widgets.style_flags import set_style_flag
from widgets.vocabulary import (
    action_done,
    action_verb,
    date_time_us,
    level_word,
    number,
    role_name,
)

log = logging.getLogger(__name__)

TREND_WINDOW_S = 30 * 60.0
STEP_ACTION = {key: action for key, _label, action in PANEL_STEPS}
DONE_TEXT = {**ACTION_TEXT, "ack": "Acknowledged"}  # English; shown through action_done


def limits_text(high: tuple, low: tuple, unit: str) -> str:
    """'high I 25 · II 20 %LEL' style: every level that has a threshold, most severe first."""
    parts = []
    sides = (
        (QCoreApplication.translate("AlarmDetails", "high"), high),
        (QCoreApplication.translate("AlarmDetails", "low"), low),
    )
    for side, values in sides:
        set_ = [f"{ROMAN_LEVEL[i + 1]} {v:g}" for i, v in enumerate(values) if v is not None]
        if set_:
            parts.append(f"{side} {' · '.join(set_)} {unit}".strip())
    return "   ".join(parts) or QCoreApplication.translate("AlarmDetails", "no limits configured")


class AlarmDetailsView(QWidget):
    """Binds one alarm's record, its sensor's samples and the role policy to the panel."""

    showInSceneRequested = Signal(int)  # channel
    showTrendRequested = Signal(int)  # channel
    stepSucceeded = Signal(str, str)  # alarm id, action
    stepRefused = Signal(str, str)  # alarm id, the message shown

    def __init__(
        self,
        model: ConsoleModel,
        client: AlarmSteps,
        role: str,
        when_done: WhenDone,
        parent: QWidget | None = None,
        policy: RolePolicy | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmDetails")
        self.model = model
        self.client = client
        self.role = role
        self.when_done = when_done
        self.policy = policy or load_policy_file()
        self.policy_source = "bundled default"
        self.details = AlarmDetails()
        self.feed = PlotFeed(model, client.history, when_done)
        self._cursor: AlarmCursor | None = None
        self._busy = False
        self._snapshot_in_flight = False
        self._catalog_seen = -1
        self._build()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.stack = QStackedWidget(self)
        self.placeholder = QLabel(
            QCoreApplication.translate(
                "AlarmDetails", "Select an alarm in the queue to see its details"
            ),
            self,
        )
        self.placeholder.setObjectName("placeholder")
        self.stack.addWidget(self.placeholder)
        p = self.page = AlarmDetailsPage(self)
        self.stack.addWidget(p)
        self.header, self.facts, self.guidance, self.steps = p.header, p.facts, p.guidance, p.steps
        self.note, self.minutes, self.message, self.role_label = (
            p.note, p.minutes, p.message, p.role_label,
        )  # fmt: skip
        self.trend, self.history, self.actions_title = p.trend, p.history, p.actions_title
        self.locate_button, self.trend_button = p.locate_button, p.trend_button
        self.export_button = p.export_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.steps.stepClicked.connect(self.take_step)
        self.locate_button.clicked.connect(self._locate)
        self.trend_button.clicked.connect(self._show_trend)
        self.export_button.clicked.connect(self._ask_export_path)
        self._show_role()

    # --- role policy ---------------------------------------------------------------------------

    def set_policy(self, policy: RolePolicy, source: str = "backend") -> None:
        """The backend's policy replaces the bundled default once it is fetched."""
        self.policy, self.policy_source = policy, source
        self._show_role()
        self._redraw()

    def _show_role(self) -> None:
        read_only = self.policy.read_only(self.role)
        role = (
            QCoreApplication.translate("AlarmDetails", "Role: {role} (read only)")
            if read_only
            else QCoreApplication.translate("AlarmDetails", "Role: {role}")
        )
        self.role_label.setText(role.format(role=role_name(self.role) if self.role else "—"))
        source = (
            QCoreApplication.translate("AlarmDetails", "bundled default")
            if self.policy_source == "bundled default"
            else QCoreApplication.translate("AlarmDetails", "backend")
            if self.policy_source == "backend"
            else self.policy_source
        )
        policy = QCoreApplication.translate("AlarmDetails", "Policy: {source}")
        self.role_label.setToolTip(policy.format(source=source))
        for widget in (self.actions_title, self.steps, self.note, self.minutes):
            widget.setVisible(not read_only)

    # --- model -> panel ------------------------------------------------------------------------

    def show_alarm(self, alarm_id: str | None) -> None:
        """Show an alarm (None or '': nothing); its record comes from the book if it has one."""
        alarm_id = alarm_id or None
        if alarm_id == self.details.alarm_id:
            return
        record = self.model.alarms.get(alarm_id) if alarm_id else None
        self.details.select(alarm_id, record)
        self.note.clear()
        self._say("", "info")
        self._set_trend_channel(record.channel if record else None)
        self._redraw()

    def refresh(self) -> None:
        """Alarm changes since the last call; cheap when the selected alarm is not among them."""
        if self.model.catalog_version != self._catalog_seen:
            self._catalog_seen = self.model.catalog_version
            self.feed.reset()
            record = self.details.record
            self._set_trend_channel(record.channel if record else None)
        delta = self.model.alarms.changes_since(self._cursor)
        self._cursor = delta.cursor
        alarm_id = self.details.alarm_id
        if alarm_id is None or not (delta.full or alarm_id in delta.alarms):
            return
        if self.details.book_changed(delta.alarms.get(alarm_id)):
            self._redraw()
        if self.details.needs_snapshot():
            self._fetch_snapshot()

    def refresh_values(self) -> None:
        """Live value and trend, a few times a second."""
        record = self.details.record
        if record is None:
            return
        sensors = self.model.sensors
        if 0 <= record.channel < len(sensors):
            latest = self.model.buffers.latest()
            value = float(latest.values[record.channel]) if latest.values.size else math.nan
            unit = sensors[record.channel].unit
            text = (
                QCoreApplication.translate("AlarmDetails", "no reading")
                if math.isnan(value)
                else f"{value:.4g} {unit}"
            )
            self.facts.set("value", text)
        self._feed_trend()

    def _set_trend_channel(self, channel: int | None) -> None:
        sensors = self.model.sensors
        panel = self.trend
        if channel is None or not 0 <= channel < len(sensors):
            panel.channels = []
            panel.show_curves(
                [], None, QCoreApplication.translate("AlarmDetails", "30-minute trend")
            )
        else:
            sensor = sensors[channel]
            panel.channels = [channel]
            spec = CurveSpec(channel, sensor.name, sensor.unit)
            title = QCoreApplication.translate("AlarmDetails", "30-minute trend  ·  {sensor}")
            panel.show_curves([spec], sensor.limits, title.format(sensor=sensor.id))
        legend = panel.plot.plotItem.legend  # one curve, named in the facts: the key only hides it
        if legend is not None:
            legend.setVisible(False)
        self.feed.forget(panel)
        self._feed_trend()

    def _feed_trend(self) -> None:
        """Ring buffer first; PlotFeed asks the backend's history for what the ring lacks."""
        if not self.trend.channels or not self.isVisible():
            return
        now = self.model.clock()
        self.feed.feed(self.trend, TREND_WINDOW_S, now)
        step = self.trend.plot.column_step(TREND_WINDOW_S)
        end = math.ceil(now / step) * step
        self.trend.plot.set_window(end - TREND_WINDOW_S, end)
        self.trend.plot.redraw_if_dirty()

    def _redraw(self) -> None:
        record = self.details.record
        self.stack.setCurrentIndex(0 if record is None else 1)
        if record is None:
            return
        self.header.show_alarm(record, self.details.in_book)
        sensors = self.model.sensors
        sensor = sensors[record.channel] if 0 <= record.channel < len(sensors) else None
        unit = sensor.unit if sensor else ""
        trigger = QCoreApplication.translate(
            "AlarmDetails", "{value} {unit} (limit {limit} {unit})"
        )
        self.facts.set(
            "trigger",
            trigger.format(value=f"{record.value:.4g}", unit=unit, limit=f"{record.limit:g}"),
        )
        limits = sensor.limits if sensor else None
        self.facts.set(
            "limits",
            limits_text(limits.high, limits.low, unit)
            if limits
            else QCoreApplication.translate("AlarmDetails", "unknown sensor"),
        )
        named = sensor is not None and sensor.name != sensor.id
        self.facts.set("sensor", f"{sensor.name}  ·  {sensor.id}" if named else record.sensor)
        self.facts.set("raised", date_time_us(record.raised_us))
        self.facts.set(
            "responsible",
            record.responsible or QCoreApplication.translate("AlarmDetails", "not configured"),
        )
        guidance = record.guidance or QCoreApplication.translate(
            "AlarmDetails", "No guidance configured for this alarm."
        )
        if self.guidance.toPlainText() != guidance:
            self.guidance.setPlainText(guidance)
        self.history.show_steps(record.steps)
        choices = step_choices(self.policy, self.role, record)
        self.steps.show_choices(
            choices,
            self._busy,
            QCoreApplication.translate("AlarmDetails", "Not possible at this stage of the loop"),
        )
        self.refresh_values()

    # --- panel -> backend ----------------------------------------------------------------------

    def take_step(self, key: str) -> bool:
        """Send the step behind a button; False when the panel refused it before sending."""
        record = self.details.record
        if record is None or self._busy:
            return False
        action = STEP_ACTION[key]
        note = self.note.text().strip()
        if not self.policy.allows(self.role, action, record.level):
            text = QCoreApplication.translate(
                "AlarmDetails", "Role '{role}' may not {action} this alarm."
            )
            said = text.format(role=role_name(self.role), action=action_verb(action))
            return self._refuse(record.id, said)
        refusal = self.policy.comment_refusal(action, record.level, note)
        if refusal is not None:
            refusal = comment_refusal(action, record.level)
            self.note.setFocus()
            return self._refuse(record.id, refusal)
        self._busy = True
        self._redraw()
        sending = QCoreApplication.translate("AlarmDetails", "Sending {action} for {alarm}…")
        self._say(sending.format(action=action_verb(action), alarm=record.id), "info")
        future = send_step(self.client, key, record.id, note, self.minutes.value())
        self.when_done(
            future,
            lambda result: self._step_done(record.id, action, result),
            lambda error: self._step_failed(record.id, action, error),
        )
        return True

    def _refuse(self, alarm_id: str, message: str) -> bool:
        self._say(message, "error")
        self.stepRefused.emit(alarm_id, message)
        return False

    def _step_done(self, alarm_id: str, action: str, result: Any) -> None:
        self._busy = False
        try:
            self.details.reply_arrived(alarm_from_wire(result["alarm"], f"{action} reply"))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("%s reply for %s unusable: %s", action, alarm_id, exc)
        self.note.clear()
        self._say(f"{action_done(action)}: {alarm_id}.", "ok")
        self._redraw()
        self.stepSucceeded.emit(alarm_id, action)

    def _step_failed(self, alarm_id: str, action: str, error: BaseException) -> None:
        self._busy = False
        self._redraw()
        text = QCoreApplication.translate("AlarmDetails", "The backend refused {action}: {error}")
        self._refuse(alarm_id, text.format(action=action_verb(action), error=error))

    def _fetch_snapshot(self) -> None:
        """The book dropped an alarm whose loop is open; the backend's snapshot still holds it."""
        if self._snapshot_in_flight:
            return
        self._snapshot_in_flight = True

        def arrived(result: Any) -> None:
            self._snapshot_in_flight = False
            try:
                records = [alarm_from_wire(a) for a in result["alarms"]]
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("alarm snapshot unusable: %s", exc)
                return
            if self.details.snapshot_arrived(records):
                self._redraw()

        def failed(error: BaseException) -> None:
            self._snapshot_in_flight = False
            log.warning("alarm snapshot for the details panel failed: %s", error)

        self.when_done(self.client.request(Op.ALARMS), arrived, failed)

    def _say(self, text: str, kind: str) -> None:
        self.message.setText(text)
        set_style_flag(self.message, "kind", kind)

    def _locate(self) -> None:
        if self.details.record is not None:
            self.showInSceneRequested.emit(self.details.record.channel)

    def _show_trend(self) -> None:
        if self.details.record is not None:
            self.showTrendRequested.emit(self.details.record.channel)

    # --- export --------------------------------------------------------------------------------

    def _ask_export_path(self) -> None:
        alarm_id = self.details.alarm_id
        suggested = f"loop-history-{(alarm_id or 'all').replace('/', '_')}.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("AlarmDetails", "Export closed-loop history"),
            suggested,
            QCoreApplication.translate("AlarmDetails", "CSV files (*.csv)"),
        )
        if path:
            self.export_history_to(path)

    def export_history_to(self, path: str | Path) -> None:
        """Ask the backend's archive for the selected alarm's steps and save them as CSV."""
        alarm_id = self.details.alarm_id

        def arrived(result: Any) -> None:
            try:
                saved = write_export(str(result["csv"]), path)
            except (KeyError, TypeError, OSError) as exc:
                text = QCoreApplication.translate("AlarmDetails", "Export not saved: {error}")
                self._say(text.format(error=exc), "error")
                return
            text = QCoreApplication.translate("AlarmDetails", "Exported {n} steps to {path}.")
            self._say(text.format(n=number(result.get("rows", 0)), path=saved), "ok")

        self._say(
            QCoreApplication.translate("AlarmDetails", "Exporting closed-loop history…"), "info"
        )
        refused = QCoreApplication.translate(
            "AlarmDetails", "Export refused by the backend: {error}"
        )
        self.when_done(
            self.client.export_history(alarm_id),
            arrived,
            lambda error: self._say(refused.format(error=error), "error"),
        )


def comment_refusal(action: str, level: int) -> str:
    """The policy's missing-comment sentence (RolePolicy.comment_refusal) in the seat's language."""
    if 1 <= level <= 4:
        text = QCoreApplication.translate(
            "AlarmDetails", "A comment is required to {action} a level {level} alarm."
        )
        return text.format(action=action_verb(action), level=level_word(level))
    text = QCoreApplication.translate(
        "AlarmDetails", "A comment is required to {action} alarms without a level."
    )
    return text.format(action=action_verb(action))
