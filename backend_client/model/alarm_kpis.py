"""Alarm-system KPIs (EEMUA 191 / ISA-18.2) from the alarm changes one console has seen.

Pure Python and NumPy, no Qt, every function takes its times explicitly: rate per 10 minutes per
operator position, share of time in flood, the ten most frequent alarms, chattering and stale
alarms, and mean time to acknowledge by level and by shift. Times are us UTC as on the wire;
shifts are in local time (or the time zone given).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

import numpy as np

from backend_client.protocol import (
    CHATTER_ACTIVATIONS,
    CHATTER_WINDOW_S,
    FLOOD_ALARMS,
    FLOOD_WINDOW_S,
    AlarmRecord,
    AlarmState,
)

US = 1_000_000
RATE_WINDOW_S = 600.0  # EEMUA 191 counts alarms per 10 minutes per operator position
STALE_AFTER_S = 24 * 3600.0
TOP_N = 10
MAX_EVENTS = 100_000  # raise and ack events kept each; the oldest go first
ANNUNCIATED = (AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK)


@dataclass(frozen=True, slots=True)
class Shift:
    """A named part of the day in local time, [start, end) minutes; it may wrap past midnight."""

    name: str
    start_min: int
    end_min: int

    def contains(self, minute_of_day: int) -> bool:
        if self.start_min < self.end_min:
            return self.start_min <= minute_of_day < self.end_min
        return minute_of_day >= self.start_min or minute_of_day < self.end_min


def _minutes(text: str, spec: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    try:
        value = int(hours) * 60 + (int(minutes) if minutes else 0)
    except ValueError:
        raise ValueError(f"shift {spec!r}: {text!r} is not HH or HH:MM") from None
    if not 0 <= value <= 24 * 60:
        raise ValueError(f"shift {spec!r}: {text!r} is outside 00:00-24:00")
    return value


def parse_shifts(spec: str) -> tuple[Shift, ...]:
    """'08-16,16-24,00-08' (or HH:MM bounds) into shifts named as written."""
    shifts = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        start, sep, end = part.partition("-")
        if not sep:
            raise ValueError(f"shift {part!r}: expected START-END, e.g. 08-16")
        shifts.append(Shift(part, _minutes(start, part), _minutes(end, part) % (24 * 60)))
    if not shifts:
        raise ValueError("no shifts given")
    return tuple(shifts)


DEFAULT_SHIFTS = parse_shifts("08-16,16-24,00-08")


@dataclass(frozen=True, slots=True)
class RaiseEvent:
    """An alarm became active (a new `raised` time); annunciated unless raised into hiding."""

    alarm_id: str
    sensor: str
    level: int
    text: str
    time_us: int
    annunciated: bool


@dataclass(frozen=True, slots=True)
class AckEvent:
    """An acknowledgement, with the raise it answered."""

    alarm_id: str
    level: int
    raised_us: int
    ack_us: int


class AlarmEventLog:
    """Bounded history of raises and acks; observing the same record twice adds nothing."""

    def __init__(self, started_us: int, max_events: int = MAX_EVENTS) -> None:
        self.started_us = started_us  # when this console began watching
        self.raises: deque[RaiseEvent] = deque(maxlen=max_events)
        self.acks: deque[AckEvent] = deque(maxlen=max_events)
        self._raised: dict[str, int] = {}  # alarm id -> last raise seen (one per alarm id)
        self._acked: dict[str, int] = {}

    def observe(self, alarm: AlarmRecord) -> None:
        """Record what this version of the alarm says happened that had not been seen yet."""
        if self._raised.get(alarm.id) != alarm.raised_us:
            self._raised[alarm.id] = alarm.raised_us
            self.raises.append(
                RaiseEvent(
                    alarm.id,
                    alarm.sensor,
                    alarm.level,
                    alarm.text,
                    alarm.raised_us,
                    alarm.state in ANNUNCIATED,
                )
            )
        if alarm.ack_us is not None and self._acked.get(alarm.id) != alarm.ack_us:
            self._acked[alarm.id] = alarm.ack_us
            self.acks.append(AckEvent(alarm.id, alarm.level, alarm.raised_us, alarm.ack_us))

    def observe_all(self, alarms: Iterable[AlarmRecord]) -> None:
        for alarm in alarms:
            self.observe(alarm)


# --- the KPIs, one function each ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlarmRate:
    """Annunciated alarms per 10 minutes per position: the period's mean, the last 10 min, peak."""

    mean: float
    last_10min: float
    peak: float
    total: int
    period_s: float


def alarm_rate(times_us: np.ndarray, start_us: int, now_us: int, positions: int = 1) -> AlarmRate:
    """EEMUA 191: about 1 per 10 min is acceptable, 2 manageable, more than 10 a flood."""
    t = np.sort(np.asarray(times_us, dtype=np.int64))
    t = t[(t >= start_us) & (t <= now_us)]
    positions = max(positions, 1)
    period_s = max((now_us - start_us) / US, 0.0)
    windows = max(period_s / RATE_WINDOW_S, 1.0)  # under 10 minutes counts as one window
    window_us = int(RATE_WINDOW_S * US)
    last = int(np.count_nonzero(t > now_us - window_us))
    in_window = np.searchsorted(t, t + window_us, side="left") - np.arange(t.size)
    peak = int(in_window.max()) if t.size else 0
    return AlarmRate(
        mean=t.size / windows / positions,
        last_10min=last / positions,
        peak=peak / positions,
        total=int(t.size),
        period_s=period_s,
    )


def flood_fraction(
    times_us: np.ndarray,
    start_us: int,
    now_us: int,
    threshold: int = FLOOD_ALARMS,
    window_s: float = FLOOD_WINDOW_S,
) -> float:
    """Share (0..1) of [start, now] during which the trailing window held more than threshold."""
    if now_us <= start_us:
        return 0.0
    t = np.asarray(times_us, dtype=np.int64)
    if t.size <= threshold:
        return 0.0
    window_us = int(window_s * US)
    # each alarm counts on [t, t + window): sweep +1/-1 edges, measure where the count is high
    edges = np.concatenate([t, t + window_us])
    steps = np.concatenate([np.ones(t.size, np.int64), -np.ones(t.size, np.int64)])
    order = np.lexsort((steps, edges))  # at equal times leave before entering
    edges, count = edges[order], np.cumsum(steps[order])
    ends = np.append(edges[1:], edges[-1])
    lo, hi = np.clip(edges, start_us, now_us), np.clip(ends, start_us, now_us)
    flooded = np.sum((hi - lo)[count > threshold])
    return float(flooded) / (now_us - start_us)


@dataclass(frozen=True, slots=True)
class FrequentAlarm:
    alarm_id: str
    sensor: str
    level: int
    text: str
    count: int
    share: float  # of all annunciated alarms in the period, 0..1


def top_alarms(raises: Iterable[RaiseEvent], n: int = TOP_N) -> list[FrequentAlarm]:
    """The most frequent alarms; EEMUA 191 wants them to carry only a few percent of the load."""
    events = [e for e in raises if e.annunciated]
    counts = Counter(e.alarm_id for e in events)
    latest = {e.alarm_id: e for e in events}
    total = max(len(events), 1)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [
        FrequentAlarm(a, latest[a].sensor, latest[a].level, latest[a].text, c, c / total)
        for a, c in ranked
    ]


@dataclass(frozen=True, slots=True)
class ChatteringAlarm:
    alarm_id: str
    sensor: str
    level: int
    most_in_window: int  # most activations seen within one CHATTER_WINDOW_S
    last_us: int
    flagged: bool  # the backend flags it chattering now


def chattering(
    raises: Iterable[RaiseEvent],
    current: Iterable[AlarmRecord] = (),
    activations: int = CHATTER_ACTIVATIONS,
    window_s: float = CHATTER_WINDOW_S,
) -> list[ChatteringAlarm]:
    """Alarms activated `activations` times within `window_s`, or flagged so by the backend."""
    times: dict[str, list[int]] = {}
    latest: dict[str, RaiseEvent] = {}
    for e in raises:
        times.setdefault(e.alarm_id, []).append(e.time_us)
        latest[e.alarm_id] = e
    flagged = {a.id: a for a in current if a.chattering}
    window_us = int(window_s * US)
    out = []
    for alarm_id in sorted(set(times) | set(flagged)):
        t = np.sort(np.asarray(times.get(alarm_id, []), dtype=np.int64))
        most = int((np.searchsorted(t, t + window_us) - np.arange(t.size)).max()) if t.size else 0
        if most < activations and alarm_id not in flagged:
            continue
        record = flagged.get(alarm_id)
        sensor = record.sensor if record else latest[alarm_id].sensor
        level = record.level if record else latest[alarm_id].level
        last = int(t[-1]) if t.size else record.raised_us
        out.append(ChatteringAlarm(alarm_id, sensor, level, most, last, alarm_id in flagged))
    out.sort(key=lambda c: (-c.most_in_window, c.alarm_id))
    return out


@dataclass(frozen=True, slots=True)
class StaleAlarm:
    alarm_id: str
    sensor: str
    level: int
    raised_us: int
    active_h: float


def stale(
    current: Iterable[AlarmRecord], now_us: int, after_s: float = STALE_AFTER_S
) -> list[StaleAlarm]:
    """Alarms standing (active, not normal) longer than after_s: EEMUA 191 wants fewer than 5."""
    out = [
        StaleAlarm(a.id, a.sensor, a.level, a.raised_us, (now_us - a.raised_us) / US / 3600)
        for a in current
        if a.active and a.state != AlarmState.NORMAL and now_us - a.raised_us > after_s * US
    ]
    out.sort(key=lambda s: (s.raised_us, s.alarm_id))
    return out


@dataclass(frozen=True, slots=True)
class AckTime:
    """Mean (and median) seconds from raise to acknowledgement over `count` acknowledgements."""

    mean_s: float
    median_s: float
    count: int


def _ack_time(delays_s: list[float]) -> AckTime:
    a = np.asarray(delays_s, dtype=float)
    return AckTime(float(a.mean()), float(np.median(a)), int(a.size))


def ack_time_by_level(acks: Iterable[AckEvent]) -> dict[int, AckTime]:
    """Mean time to acknowledge per warning level, most severe first."""
    delays: dict[int, list[float]] = {}
    for e in acks:
        delays.setdefault(e.level, []).append(max(e.ack_us - e.raised_us, 0) / US)
    return {level: _ack_time(delays[level]) for level in sorted(delays)}


def shift_of(time_us: int, shifts: tuple[Shift, ...], tz: tzinfo | None = None) -> str:
    """The shift on duty at a time (local time when tz is None); '' when no shift covers it."""
    local = datetime.fromtimestamp(time_us / US, tz) if tz else datetime.fromtimestamp(time_us / US)
    minute = local.hour * 60 + local.minute
    return next((s.name for s in shifts if s.contains(minute)), "")


def ack_time_by_shift(
    acks: Iterable[AckEvent], shifts: tuple[Shift, ...] = DEFAULT_SHIFTS, tz: tzinfo | None = None
) -> dict[str, AckTime]:
    """Mean time to acknowledge per shift; an alarm belongs to the shift on duty when raised."""
    delays: dict[str, list[float]] = {s.name: [] for s in shifts}
    for e in acks:
        name = shift_of(e.raised_us, shifts, tz)
        if name:
            delays[name].append(max(e.ack_us - e.raised_us, 0) / US)
    return {name: _ack_time(d) for name, d in delays.items() if d}


# --- the whole report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KpiReport:
    """Every KPI at one moment, ready to show or export."""

    now_us: int
    start_us: int
    positions: int
    rate: AlarmRate
    flood_fraction: float
    top: list[FrequentAlarm] = field(default_factory=list)
    chattering: list[ChatteringAlarm] = field(default_factory=list)
    stale: list[StaleAlarm] = field(default_factory=list)
    ack_by_level: dict[int, AckTime] = field(default_factory=dict)
    ack_by_shift: dict[str, AckTime] = field(default_factory=dict)


def compute_kpis(
    log: AlarmEventLog,
    current: Iterable[AlarmRecord],
    now_us: int,
    positions: int = 1,
    shifts: tuple[Shift, ...] = DEFAULT_SHIFTS,
    tz: tzinfo | None = None,
) -> KpiReport:
    """All KPIs over the period from the first thing seen (or the console's start) to now."""
    current = list(current)
    raises = list(log.raises)
    times = np.fromiter((e.time_us for e in raises if e.annunciated), dtype=np.int64)
    start = min(log.started_us, int(times.min())) if times.size else log.started_us
    return KpiReport(
        now_us=now_us,
        start_us=start,
        positions=positions,
        rate=alarm_rate(times, start, now_us, positions),
        flood_fraction=flood_fraction(times, start, now_us),
        top=top_alarms(raises),
        chattering=chattering(raises, current),
        stale=stale(current, now_us),
        ack_by_level=ack_time_by_level(log.acks),
        ack_by_shift=ack_time_by_shift(log.acks, shifts, tz),
    )
