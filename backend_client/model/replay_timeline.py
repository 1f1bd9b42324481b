"""What the replay timeline shows, computed without Qt: alarm raises with their level, the
density of raises per bin, the mapping between pixels and recorded time, and time texts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select

from backend_client.protocol import AlarmState
from backend_client.recording.schema import AlarmEventRow
from backend_client.recording.store import RecordingStore

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)  # the transport's choices


@dataclass(frozen=True, slots=True)
class AlarmMark:
    """One alarm raise on the timeline: when, how severe (1 = level I), which alarm."""

    time_us: int
    level: int
    alarm_id: str


def alarm_marks(store: RecordingStore, t0_us: int, t1_us: int) -> list[AlarmMark]:
    """Each alarm raised with t0 <= raised <= t1, once, with the most severe level it reached
    in that raise; ascending by time (the markers and the density strip draw these)."""
    query = select(AlarmEventRow.alarm_id, AlarmEventRow.level, AlarmEventRow.record).where(
        AlarmEventRow.state != str(AlarmState.NORMAL),
        AlarmEventRow.time_us >= t0_us,
    )
    worst: dict[tuple[str, int], int] = {}
    with store.engine.connect() as conn:
        for alarm_id, level, record in conn.execute(query):
            raised = int(json.loads(record)["raised"])  # the wire map's raised_us
            if not t0_us <= raised <= t1_us or not 1 <= level <= 4:
                continue
            key = (alarm_id, raised)
            worst[key] = min(worst.get(key, level), level)
    marks = [AlarmMark(raised, level, alarm_id) for (alarm_id, raised), level in worst.items()]
    return sorted(marks, key=lambda m: (m.time_us, m.level, m.alarm_id))


def density(times_us: np.ndarray | list[int], t0_us: int, t1_us: int, bins: int) -> np.ndarray:
    """Raises per bin over [t0, t1] (bins of equal width; the last one holds t1)."""
    bins = max(1, int(bins))
    times = np.asarray(times_us, dtype=np.int64)
    if t1_us <= t0_us:
        counts = np.zeros(bins, dtype=np.int64)
        counts[0] = int(((times >= t0_us) & (times <= t1_us)).sum())
        return counts
    counts, _edges = np.histogram(times, bins=bins, range=(t0_us, t1_us))
    return counts.astype(np.int64)


def time_at(x: float, width: float, t0_us: int, t1_us: int) -> int:
    """Recorded time under pixel x of a strip `width` wide showing [t0, t1] (clamped)."""
    if width <= 0 or t1_us <= t0_us:
        return t0_us
    frac = min(max(x / width, 0.0), 1.0)
    return t0_us + round(frac * (t1_us - t0_us))


def x_of(t_us: int, width: float, t0_us: int, t1_us: int) -> float:
    """Pixel of recorded time t on a strip `width` wide showing [t0, t1] (not clamped)."""
    if t1_us <= t0_us:
        return 0.0
    return (t_us - t0_us) / (t1_us - t0_us) * width


def nice_ticks(t0_us: int, t1_us: int, most: int) -> list[int]:
    """Round times (1 s .. 1 day apart) inside [t0, t1], at most `most` of them, for labels."""
    span = t1_us - t0_us
    if span <= 0 or most < 1:
        return []
    for step_s in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400):
        step = step_s * 1_000_000
        if span / step <= most:
            break
    first = -(-t0_us // step) * step
    return list(range(first, t1_us + 1, step))


def clock_text(t_us: int, with_date: bool = False) -> str:
    """Local wall-clock time of a recorded instant, as the rest of the console shows times."""
    fmt = "%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S"
    return datetime.fromtimestamp(t_us / 1e6).astimezone().strftime(fmt)


def duration_text(span_us: int) -> str:
    """'42 s', '3 min 05 s', '2 h 07 min': a replay range's length at a glance."""
    s = max(0, round(span_us / 1e6))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"


def speed_text(speed: float) -> str:
    """'0.25x', '1x', '64x'."""
    return f"{speed:g}x"


def parse_time(text: str) -> int:
    """An ISO 8601 time from the command line as epoch microseconds; a time without a zone is
    UTC, as lifeline-replay reads it (the same --from means the same instant to both)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {text!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1e6)
