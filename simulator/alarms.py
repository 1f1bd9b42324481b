"""The backend's alarm engine: limit checks vectorised over a tick, ISA-18.2 states per alarm.

One alarm per sensor (alarm id = sensor id). Levels come from the sensor's limits (level I most
severe wins; a deadband holds a level until the value is clearly back); only alarms whose level
changed reach the Python state machine, after their on/off delays. Every change bumps one
sequence number and yields the alarm's full record. No Qt, no sockets, no database: the server
publishes what this returns and the state store saves what it marks dirty.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from backend_client.city import Sensor
from backend_client.protocol import (
    AlarmChange,
    AlarmRecord,
    AlarmState,
    AlarmStep,
    LoopStage,
)
from simulator import alarm_loop
from simulator.alarm_limits import LimitChecker
from simulator.alarm_rates import ChatterMonitor, FloodMonitor
from simulator.alarm_records import alarm_record
from simulator.alarm_settings import AlarmSettings, resolve_settings
from simulator.alarm_state import Actor, AlarmWork

log = logging.getLogger(__name__)

MAX_SHELVE_MINUTES = 24 * 60


class AlarmError(ValueError):
    """A request the alarm engine refuses; the server turns it into an error reply."""


class UnknownAlarmError(AlarmError):
    """No alarm has that id."""


class Outcome(NamedTuple):
    """An operator action's result: the alarm's record, and whether it changed (got a new seq)."""

    change: AlarmChange
    new: bool


@dataclass(frozen=True, slots=True)
class ArchivedStep:
    """An operator step as archived: the alarm, the occurrence (its raise time) and the step."""

    alarm_id: str
    raised_us: int
    step: AlarmStep


@dataclass(slots=True)
class _Pending:
    """A level change waiting out its on- or off-delay."""

    level: int
    high: bool
    value: float
    limit: float
    due_us: int


class AlarmEngine:
    """Evaluates telemetry against limits and keeps every alarm's ISA-18.2 state."""

    def __init__(
        self, sensors: Sequence[Sensor], settings: Sequence[AlarmSettings] | None = None
    ) -> None:
        self.sensors = tuple(sensors)
        self.settings = tuple(settings) if settings is not None else resolve_settings(sensors)
        if len(self.settings) != len(self.sensors):
            raise ValueError("one AlarmSettings per sensor is needed")
        self.index = {s.id: i for i, s in enumerate(self.sensors)}
        n = len(self.sensors)

        self.limits = LimitChecker(self.sensors)
        self.on_delay_us = [round(s.on_delay_s * 1e6) for s in self.settings]
        self.off_delay_us = [round(s.off_delay_s * 1e6) for s in self.settings]
        self.effective = np.zeros(n, dtype=np.int8)  # the level after on/off delays
        self.pending: dict[int, _Pending] = {}
        self.alarms: dict[int, AlarmWork] = {}  # every alarm kept (not NORMAL or loop open)
        self.last: dict[int, AlarmChange] = {}  # last change of every alarm ever raised
        self.suppressed: set[int] = set()  # channels suppressed by design (maintenance)
        self.out_of_service: set[int] = set()
        self.chatter = ChatterMonitor()
        self.floods = FloodMonitor()
        self.now_us = 0  # latest time the engine has seen
        self.seq = 0
        self.dirty: set[int] = set()  # channels whose state the store has not saved yet
        self.exercise = np.zeros(n, dtype=bool)  # channels a drill drives now (set per tick)
        self.archive: list[ArchivedStep] = []  # steps the store has not archived yet

    # --- evaluation -------------------------------------------------------------------------

    def evaluate(
        self, channels: np.ndarray, values: np.ndarray, quality: np.ndarray, times_us: np.ndarray
    ) -> list[AlarmChange]:
        """Check one tick's samples; bad-quality and missing samples leave alarms as they are."""
        changes: list[AlarmChange] = []
        for c in self.limits.check(channels, values, quality, times_us):
            self.now_us = max(self.now_us, c.time_us)
            change = self._on_condition(c.channel, c.level, c.high, c.value, c.limit, c.time_us)
            if change is not None:
                changes.append(change)
        if len(times_us):
            self.now_us = max(self.now_us, int(np.max(times_us)))
        return changes

    def _on_condition(
        self, ch: int, level: int, high: bool, value: float, limit: float, t_us: int
    ) -> AlarmChange | None:
        """Apply a level change now, or hold it until its on- or off-delay has passed."""
        eff = int(self.effective[ch])
        if level == eff:
            self.pending.pop(ch, None)  # the change that was waiting did not last
            return None
        delay = self.on_delay_us[ch] if eff == 0 else self.off_delay_us[ch] if level == 0 else 0
        if delay <= 0:
            self.pending.pop(ch, None)
            return self._on_level(ch, level, high, value, limit, t_us)
        waiting = self.pending.get(ch)
        due = waiting.due_us if waiting is not None and (waiting.level > 0) == (level > 0) else None
        self.pending[ch] = _Pending(level, high, value, limit, t_us + delay if due is None else due)
        return None

    def _on_level(
        self, ch: int, level: int, high: bool, value: float, limit: float, t_us: int
    ) -> AlarmChange | None:
        old = int(self.effective[ch])
        self.effective[ch] = level
        alarm = self.alarms.get(ch)
        if alarm is None:  # NORMAL -> UNACK
            if level == 0:
                return None
            alarm = AlarmWork(ch, level, high, AlarmState.UNACK, True, value, limit, t_us, t_us)
            alarm.suppressed, alarm.oos = ch in self.suppressed, ch in self.out_of_service
            alarm.exercise = bool(self.exercise[ch])
            alarm.state = alarm.hidden_state() or AlarmState.UNACK
            self.alarms[ch] = alarm
            self._activated(alarm, t_us)
            return self._publish(alarm)
        alarm.value, alarm.changed_us = value, t_us
        hidden = alarm.hidden_state() is not None
        if level == 0:
            alarm.active = False
            if hidden:
                pass
            elif alarm.state == AlarmState.UNACK and self.settings[ch].latching:
                alarm.latched = True  # stays annunciated until acknowledged
            elif alarm.state == AlarmState.UNACK:
                alarm.state = AlarmState.RTN_UNACK
            elif alarm.state == AlarmState.ACKED:
                alarm.state = AlarmState.NORMAL
            return self._publish(alarm)
        alarm.level, alarm.high, alarm.limit = level, high, limit
        if old == 0:  # active again: after RTN_UNACK, a latch, or while its loop is open
            alarm.active, alarm.latched, alarm.raised_us = True, False, t_us
            alarm.exercise = bool(self.exercise[ch])
            self._activated(alarm, t_us)
            if not hidden and alarm.state in (AlarmState.RTN_UNACK, AlarmState.NORMAL):
                alarm.state = AlarmState.UNACK
        elif level < old and alarm.state == AlarmState.ACKED:  # escalation re-annunciates
            alarm.state = AlarmState.UNACK
            alarm.clear_ack()
        return self._publish(alarm)

    def _activated(self, alarm: AlarmWork, t_us: int) -> None:
        alarm.chattering = self.chatter.activate(alarm.channel, t_us)
        if alarm.hidden_state() is None:
            self.floods.activate(t_us)

    def advance(self, now_us: int) -> list[AlarmChange]:
        """Time-driven changes: delays that ran out, shelves that expired, chattering that ended."""
        self.now_us = max(self.now_us, now_us)
        changes: list[AlarmChange] = []
        for ch, p in sorted(self.pending.items(), key=lambda item: item[1].due_us):
            if p.due_us <= now_us:
                del self.pending[ch]
                change = self._on_level(ch, p.level, p.high, p.value, p.limit, p.due_us)
                if change is not None:
                    changes.append(change)
        changes += self.expire_shelves(now_us)
        for alarm in list(self.alarms.values()):
            if alarm.chattering and not self.chatter.chattering(alarm.channel, now_us):
                alarm.chattering, alarm.changed_us = False, now_us
                changes.append(self._publish(alarm))
        return changes

    @property
    def flood(self) -> bool:
        """More than FLOOD_ALARMS new alarms within FLOOD_WINDOW_S up to the latest time seen."""
        return self.floods.flood(self.now_us)

    @property
    def alarm_rate(self) -> int:
        """New alarms within FLOOD_WINDOW_S up to the latest time seen."""
        return self.floods.rate(self.now_us)

    # --- operator actions -------------------------------------------------------------------

    def channel_of(self, alarm_id: str) -> int:
        """The channel of an alarm id; UnknownAlarmError when there is none."""
        ch = self.index.get(alarm_id)
        if ch is None:
            raise UnknownAlarmError(f"unknown alarm {alarm_id!r}")
        return ch

    def level_of(self, alarm_id: str) -> int:
        """The alarm's level now (or when last raised); 0 if it has never been raised."""
        ch = self.channel_of(alarm_id)
        if ch in self.alarms:
            return self.alarms[ch].level
        return self.last[ch].alarm.level if ch in self.last else 0

    def _step(
        self, alarm: AlarmWork | None, ch: int, action: str, who: Actor, note: str, now_us: int,
        detail: str = "",
    ) -> None:  # fmt: skip
        step = AlarmStep(action, who.user, who.role, who.host, now_us, note, detail)
        self.archive.append(
            ArchivedStep(self.sensors[ch].id, alarm.raised_us if alarm else 0, step)
        )
        if alarm is not None:
            alarm.add_step(step)
            alarm.changed_us = now_us
        self.dirty.add(ch)
        log.info("alarm %s: %s by %s (%s@%s) %s: %s", self.sensors[ch].id, action, who.user,
                 who.role, who.host, detail, note)  # fmt: skip

    def acknowledge(
        self, alarm_id: str, user: str, role: str, host: str, comment: str, now_us: int
    ) -> Outcome:
        """Acknowledge an UNACK or RTN_UNACK alarm and open its loop; otherwise change nothing."""
        ch = self.channel_of(alarm_id)
        alarm = self.alarms.get(ch)
        if alarm is None or alarm.state not in (AlarmState.UNACK, AlarmState.RTN_UNACK):
            return Outcome(self.current(alarm_id), False)
        alarm.ack_user, alarm.ack_comment, alarm.ack_us = user, comment, now_us
        back = alarm.state == AlarmState.RTN_UNACK or not alarm.active  # cleared, or latched
        alarm.state = AlarmState.NORMAL if back else AlarmState.ACKED
        alarm.latched = False
        if not alarm.loop_open:
            alarm.loop, alarm.verdict = LoopStage.ACKED, None
        self._step(alarm, ch, "ack", Actor(user, role, host), comment, now_us)
        return Outcome(self._publish(alarm), True)

    def current(self, alarm_id: str) -> AlarmChange:
        """An alarm's latest record with the current sequence number (the answer to a no-op)."""
        ch = self.channel_of(alarm_id)
        if ch not in self.last:
            raise AlarmError(f"alarm {alarm_id!r} has never been raised")
        return AlarmChange(self.seq, self.last[ch].alarm)

    def _raised(self, alarm_id: str, action: str) -> tuple[int, AlarmWork]:
        ch = self.channel_of(alarm_id)
        alarm = self.alarms.get(ch)
        if alarm is None:
            raise AlarmError(f"alarm {alarm_id!r} is not raised and has no open loop to {action}")
        return ch, alarm

    def shelve(
        self, alarm_id: str, minutes: float, comment: str, now_us: int, user: str = "",
        role: str = "", host: str = "",
    ) -> Outcome:  # fmt: skip
        """Hide an alarm for a while; it returns UNACK at expiry if still active, else NORMAL."""
        ch = self.channel_of(alarm_id)
        alarm = self.alarms.get(ch)
        if alarm is None or alarm.state == AlarmState.NORMAL:
            raise AlarmError(f"alarm {alarm_id!r} is normal; only a raised alarm can be shelved")
        if not (isinstance(minutes, int | float) and 0 < minutes <= MAX_SHELVE_MINUTES):
            raise AlarmError(f"shelve minutes must be in (0, {MAX_SHELVE_MINUTES}], got {minutes}")
        alarm.shelved_until_us = now_us + round(minutes * 60e6)
        alarm.state = alarm.hidden_state() or AlarmState.SHELVED
        self._step(alarm, ch, "shelve", Actor(user, role, host), comment, now_us, f"{minutes:g}")
        return Outcome(self._publish(alarm), True)

    def unshelve(self, alarm_id: str, who: Actor, comment: str, now_us: int) -> Outcome:
        """Unshelve by hand: the alarm returns ACKED if still active, otherwise NORMAL."""
        ch, alarm = self._raised(alarm_id, "unshelve")
        if alarm.shelved_until_us is None:
            raise AlarmError(f"alarm {alarm_id!r} is not shelved")
        alarm.shelved_until_us = None
        alarm.latched = False
        returned = AlarmState.ACKED if alarm.active else AlarmState.NORMAL
        alarm.state = alarm.hidden_state() or returned
        self._step(alarm, ch, "unshelve", who, comment, now_us)
        return Outcome(self._publish(alarm), True)

    def expire_shelves(self, now_us: int) -> list[AlarmChange]:
        """Return alarms whose shelving ran out: UNACK if still active, otherwise NORMAL."""
        out = []
        for alarm in list(self.alarms.values()):
            until = alarm.shelved_until_us
            if until is not None and until <= now_us:
                alarm.shelved_until_us = None
                alarm.changed_us = now_us
                if alarm.hidden_state() is None:
                    alarm.clear_ack()
                    alarm.state = AlarmState.UNACK if alarm.active else AlarmState.NORMAL
                out.append(self._publish(alarm))
        return out

    def _hide(
        self, channels: Sequence[int], on: bool, flag: str, action: str, who: Actor, comment: str,
        now_us: int,
    ) -> list[AlarmChange]:  # fmt: skip
        """Set or lift suppression or out-of-service on channels; lifting returns UNACK/NORMAL."""
        group = self.suppressed if flag == "suppressed" else self.out_of_service
        out = []
        for ch in channels:
            if (ch in group) == on:
                continue
            if on:
                group.add(ch)
            else:
                group.discard(ch)
            alarm = self.alarms.get(ch)
            self._step(alarm, ch, action, who, comment, now_us, "on" if on else "off")
            if alarm is None:
                continue
            setattr(alarm, flag, on)
            alarm.latched = False
            returned = AlarmState.UNACK if alarm.active else AlarmState.NORMAL
            alarm.state = alarm.hidden_state() or returned
            out.append(self._publish(alarm))
        return out

    def suppress(
        self, channels: Sequence[int], on: bool, who: Actor, comment: str, now_us: int
    ) -> list[AlarmChange]:
        """Suppress by design (e.g. maintenance logged in a tunnel compartment), or lift it."""
        return self._hide(channels, on, "suppressed", "suppress", who, comment, now_us)

    def set_out_of_service(
        self, channels: Sequence[int], on: bool, who: Actor, comment: str, now_us: int
    ) -> list[AlarmChange]:
        """Take alarms out of service (a broken or replaced sensor), or return them."""
        return self._hide(channels, on, "oos", "out_of_service", who, comment, now_us)

    def loop_step(
        self, alarm_id: str, action: str, who: Actor, note: str, now_us: int,
        real: bool | None = None, unit: str | None = None,
    ) -> Outcome:  # fmt: skip
        """Take one closed-loop step (verify, dispatch, feedback, close) in its order."""
        ch, alarm = self._raised(alarm_id, action)
        detail = ""
        try:
            if action == "verify":
                alarm_loop.verify(alarm_id, alarm, bool(real))
                detail = "real" if real else "false"
            elif action == "dispatch":
                alarm_loop.dispatch(alarm_id, alarm)
                detail = unit or self.settings[ch].responsible
            elif action == "feedback":
                alarm_loop.feedback(alarm_id, alarm)
            elif action == "close":
                alarm_loop.close(alarm_id, alarm)
            else:
                raise AlarmError(f"unknown closed-loop step {action!r}")
        except alarm_loop.LoopError as exc:
            raise AlarmError(str(exc)) from None
        self._step(alarm, ch, action, who, note, now_us, detail)
        return Outcome(self._publish(alarm), True)

    # --- records ----------------------------------------------------------------------------

    def _publish(self, alarm: AlarmWork) -> AlarmChange:
        self.seq += 1
        change = AlarmChange(self.seq, self.record(alarm))
        self.last[alarm.channel] = change
        self.dirty.add(alarm.channel)
        if not alarm.kept:
            del self.alarms[alarm.channel]
        return change

    def record(self, alarm: AlarmWork) -> AlarmRecord:
        """The wire record of an alarm's working state."""
        ch = alarm.channel
        return alarm_record(alarm, self.sensors[ch], self.settings[ch])

    def snapshot(self) -> tuple[int, list[AlarmRecord]]:
        """(current sequence number, records of every alarm kept) for a client's resync."""
        return self.seq, [self.last[ch].alarm for ch in sorted(self.alarms)]

    def restore(
        self, seq: int, alarms: Sequence[AlarmWork], suppressed: Sequence[int],
        out_of_service: Sequence[int],
    ) -> None:  # fmt: skip
        """Take back state saved by a previous run (before the first evaluation)."""
        self.seq = max(self.seq, seq)
        self.suppressed, self.out_of_service = set(suppressed), set(out_of_service)
        for alarm in alarms:
            self.alarms[alarm.channel] = alarm
            if alarm.active:  # the limits must see it clear before it counts as cleared
                self.limits.condition[alarm.channel] = alarm.level
                self.effective[alarm.channel] = alarm.level
            self.last[alarm.channel] = AlarmChange(self.seq, self.record(alarm))
        self.dirty.clear()
