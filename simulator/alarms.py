"""The backend's alarm engine: limit checks vectorised over a tick, ISA-18.2 states per alarm.

One alarm per sensor (alarm id = sensor id). Levels come from the sensor's limits (level I most
severe wins; a deadband holds a level until the value is clearly back); only alarms whose level
changed reach the Python state machine. Every change bumps one sequence number and yields the
alarm's full record. No Qt, no sockets: the server publishes what this returns.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from backend_client.city import Sensor
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState, Quality

log = logging.getLogger(__name__)

ROMAN = ("", "I", "II", "III", "IV")
MAX_SHELVE_MINUTES = 24 * 60


class AlarmError(ValueError):
    """A request the alarm engine refuses; the server turns it into an error reply."""


class UnknownAlarmError(AlarmError):
    """No alarm has that id."""


class Outcome(NamedTuple):
    """An operator action's result: the alarm's record, and whether it changed (got a new seq)."""

    change: AlarmChange
    new: bool


@dataclass(slots=True)
class _Alarm:
    """Working state of one alarm outside NORMAL."""

    channel: int
    level: int
    high: bool
    state: AlarmState
    active: bool
    value: float
    limit: float
    raised_us: int
    changed_us: int
    ack_user: str | None = None
    ack_comment: str | None = None
    ack_us: int | None = None
    shelved_until_us: int | None = None

    def clear_ack(self) -> None:
        self.ack_user = self.ack_comment = self.ack_us = None


def _fmt(value: float) -> str:
    size = abs(value)
    digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 1 else 3
    return f"{value:.{digits}f}"


def _levels(values: np.ndarray, high: np.ndarray, low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(level 0..4, True where the high side set it) for each value; NaN thresholds never fire."""
    with np.errstate(invalid="ignore"):
        hit_high = values[:, None] >= high
        hit_low = values[:, None] <= low
    level_high = np.where(hit_high.any(axis=1), hit_high.argmax(axis=1) + 1, 0)
    level_low = np.where(hit_low.any(axis=1), hit_low.argmax(axis=1) + 1, 0)
    use_high = (level_high > 0) & ((level_low == 0) | (level_high <= level_low))
    return np.where(use_high, level_high, level_low), use_high


class AlarmEngine:
    """Evaluates telemetry against limits and keeps every alarm's ISA-18.2 state."""

    def __init__(self, sensors: Sequence[Sensor]) -> None:
        self.sensors = tuple(sensors)
        self.index = {s.id: i for i, s in enumerate(self.sensors)}
        n = len(self.sensors)

        def table(side: str) -> np.ndarray:
            rows = [getattr(s.limits, side) for s in self.sensors]
            return np.array([[np.nan if v is None else v for v in r] for r in rows]).reshape(n, 4)

        self.high, self.low = table("high"), table("low")
        self.deadband = np.array([s.limits.deadband for s in self.sensors], dtype=float)
        self.condition = np.zeros(n, dtype=np.int8)  # level the limits say now; 0 = clear
        self.alarms: dict[int, _Alarm] = {}  # every alarm not NORMAL, by channel
        self.last: dict[int, AlarmChange] = {}  # last change of every alarm ever raised
        self.seq = 0

    # --- evaluation -------------------------------------------------------------------------

    def evaluate(
        self, channels: np.ndarray, values: np.ndarray, quality: np.ndarray, times_us: np.ndarray
    ) -> list[AlarmChange]:
        """Check one tick's samples; bad-quality and missing samples leave alarms as they are."""
        good = (np.asarray(quality) == Quality.GOOD) & np.isfinite(values)
        ch = np.asarray(channels, dtype=np.intp)[good]
        v = np.asarray(values, dtype=float)[good]
        t = np.asarray(times_us, dtype=np.int64)[good]
        if ch.size == 0:
            return []
        order = np.argsort(ch, kind="stable")
        first = np.r_[True, ch[order][1:] != ch[order][:-1]]
        starts = np.maximum.accumulate(np.where(first, np.arange(ch.size), 0))
        rank = np.empty(ch.size, dtype=np.intp)
        rank[order] = np.arange(ch.size) - starts  # k-th sample of its channel in this batch
        changes: list[AlarmChange] = []
        for r in range(int(rank.max()) + 1):
            sel = rank == r
            changes += self._evaluate_unique(ch[sel], v[sel], t[sel])
        return changes

    def _evaluate_unique(self, ch: np.ndarray, v: np.ndarray, t: np.ndarray) -> list[AlarmChange]:
        db = self.deadband[ch, None]
        raw, raw_high = _levels(v, self.high[ch], self.low[ch])
        held, held_high = _levels(v, self.high[ch] - db, self.low[ch] + db)
        cur = self.condition[ch].astype(np.int64)
        escalate = (raw > 0) & ((cur == 0) | (raw < cur))
        hold = (cur > 0) & (held > 0) & (held <= cur)
        new = np.where(escalate, raw, np.where(hold, cur, np.where(cur > 0, held, 0)))
        is_high = np.where(escalate, raw_high, held_high)
        changed = np.flatnonzero(new != cur)
        out = []
        for k in changed:
            c, level = int(ch[k]), int(new[k])
            limits = self.high if is_high[k] else self.low
            limit = float(limits[c, level - 1]) if level else math.nan
            out.append(self._on_level(c, level, bool(is_high[k]), float(v[k]), limit, int(t[k])))
        return out

    def _on_level(
        self, ch: int, level: int, high: bool, value: float, limit: float, t_us: int
    ) -> AlarmChange:
        old = int(self.condition[ch])
        self.condition[ch] = level
        alarm = self.alarms.get(ch)
        if alarm is None:  # NORMAL -> UNACK
            alarm = _Alarm(ch, level, high, AlarmState.UNACK, True, value, limit, t_us, t_us)
            self.alarms[ch] = alarm
            return self._publish(alarm)
        alarm.value, alarm.changed_us = value, t_us
        if level == 0:
            alarm.active = False
            if alarm.state == AlarmState.UNACK:
                alarm.state = AlarmState.RTN_UNACK
            elif alarm.state == AlarmState.ACKED:
                alarm.state = AlarmState.NORMAL
            return self._publish(alarm)
        alarm.level, alarm.high, alarm.limit = level, high, limit
        if old == 0:  # back again before anyone acknowledged the last occurrence, or shelved
            alarm.active, alarm.raised_us = True, t_us
            if alarm.state == AlarmState.RTN_UNACK:
                alarm.state = AlarmState.UNACK
        elif level < old and alarm.state == AlarmState.ACKED:  # escalation re-annunciates
            alarm.state = AlarmState.UNACK
            alarm.clear_ack()
        return self._publish(alarm)

    # --- operator actions -------------------------------------------------------------------

    def _channel(self, alarm_id: str) -> int:
        ch = self.index.get(alarm_id)
        if ch is None:
            raise UnknownAlarmError(f"unknown alarm {alarm_id!r}")
        return ch

    def acknowledge(
        self, alarm_id: str, user: str, role: str, host: str, comment: str, now_us: int
    ) -> Outcome:
        """Acknowledge an UNACK or RTN_UNACK alarm; in any other state this changes nothing."""
        ch = self._channel(alarm_id)
        alarm = self.alarms.get(ch)
        if alarm is None or alarm.state not in (AlarmState.UNACK, AlarmState.RTN_UNACK):
            return Outcome(self.current(alarm_id), False)
        alarm.ack_user, alarm.ack_comment, alarm.ack_us = user, comment, now_us
        alarm.changed_us = now_us
        alarm.state = AlarmState.ACKED if alarm.state == AlarmState.UNACK else AlarmState.NORMAL
        log.info("alarm %s acknowledged by %s (%s@%s): %s", alarm_id, user, role, host, comment)
        return Outcome(self._publish(alarm), True)

    def current(self, alarm_id: str) -> AlarmChange:
        """An alarm's latest record with the current sequence number (the answer to a no-op)."""
        ch = self._channel(alarm_id)
        if ch not in self.last:
            raise AlarmError(f"alarm {alarm_id!r} has never been raised")
        return AlarmChange(self.seq, self.last[ch].alarm)

    def shelve(
        self, alarm_id: str, minutes: float, comment: str, now_us: int, user: str = ""
    ) -> Outcome:
        """Hide an alarm for a while; it returns UNACK at expiry if still active, else NORMAL."""
        ch = self._channel(alarm_id)
        alarm = self.alarms.get(ch)
        if alarm is None:
            raise AlarmError(f"alarm {alarm_id!r} is normal; only a raised alarm can be shelved")
        if not (isinstance(minutes, int | float) and 0 < minutes <= MAX_SHELVE_MINUTES):
            raise AlarmError(f"shelve minutes must be in (0, {MAX_SHELVE_MINUTES}], got {minutes}")
        alarm.state = AlarmState.SHELVED
        alarm.shelved_until_us = now_us + round(minutes * 60e6)
        alarm.changed_us = now_us
        log.info("alarm %s shelved %g min by %s: %s", alarm_id, minutes, user, comment)
        return Outcome(self._publish(alarm), True)

    def expire_shelves(self, now_us: int) -> list[AlarmChange]:
        """Return alarms whose shelving ran out: UNACK if still active, otherwise NORMAL."""
        out = []
        for alarm in list(self.alarms.values()):
            until = alarm.shelved_until_us
            if alarm.state == AlarmState.SHELVED and until is not None and until <= now_us:
                alarm.shelved_until_us = None
                alarm.changed_us = now_us
                alarm.clear_ack()
                alarm.state = AlarmState.UNACK if alarm.active else AlarmState.NORMAL
                out.append(self._publish(alarm))
        return out

    # --- records ----------------------------------------------------------------------------

    def _publish(self, alarm: _Alarm) -> AlarmChange:
        self.seq += 1
        change = AlarmChange(self.seq, self._record(alarm))
        self.last[alarm.channel] = change
        if alarm.state == AlarmState.NORMAL:
            del self.alarms[alarm.channel]
        return change

    def _record(self, alarm: _Alarm) -> AlarmRecord:
        sensor = self.sensors[alarm.channel]
        sign = (">=" if alarm.high else "<=") if alarm.active else ("<" if alarm.high else ">")
        what = f"level {ROMAN[alarm.level]}" + ("" if alarm.active else " cleared")
        text = f"{sensor.type} {_fmt(alarm.value)} {sensor.unit} {sign} {alarm.limit:g} ({what})"
        return AlarmRecord(
            id=sensor.id,
            channel=alarm.channel,
            sensor=sensor.id,
            level=alarm.level,
            state=alarm.state,
            active=alarm.active,
            value=alarm.value,
            limit=alarm.limit,
            raised_us=alarm.raised_us,
            changed_us=alarm.changed_us,
            text=text,
            ack_user=alarm.ack_user,
            ack_comment=alarm.ack_comment,
            ack_us=alarm.ack_us,
            shelved_until_us=alarm.shelved_until_us,
        )

    def snapshot(self) -> tuple[int, list[AlarmRecord]]:
        """(current sequence number, records of every alarm not NORMAL) for a client's resync."""
        return self.seq, [self.last[ch].alarm for ch in sorted(self.alarms)]
