"""Alarm KPIs from explicit raise and ack times: each EEMUA 191 figure on its own, no Qt."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from backend_client.model.alarm_kpi_export import report_to_csv, write_report
from backend_client.model.alarm_kpis import (
    AckEvent,
    AlarmEventLog,
    RaiseEvent,
    ack_time_by_level,
    ack_time_by_shift,
    alarm_rate,
    chattering,
    compute_kpis,
    flood_fraction,
    parse_shifts,
    shift_of,
    stale,
    top_alarms,
)
from backend_client.protocol import AlarmRecord, AlarmState

S = 1_000_000
MIN = 60 * S
T0 = int(datetime(2026, 5, 12, 0, 0, tzinfo=UTC).timestamp() * S)


def _record(alarm_id: str = "A1", level: int = 3, raised: int = T0, **kw) -> AlarmRecord:
    fields = dict(state=AlarmState.UNACK, active=True, value=30.0, limit=25.0)
    fields.update(kw)
    return AlarmRecord(
        alarm_id, 0, f"S-{alarm_id}", level, fields.pop("state"), fields.pop("active"),
        fields.pop("value"), fields.pop("limit"), raised, raised, **fields,
    )  # fmt: skip


def _raise(alarm_id: str, t: int, level: int = 3, annunciated: bool = True) -> RaiseEvent:
    return RaiseEvent(alarm_id, f"S-{alarm_id}", level, "", t, annunciated)


def test_rate_per_ten_minutes_per_position_over_an_hour():
    times = np.array([T0 + i * 5 * MIN for i in range(12)])  # one every 5 min for an hour
    rate = alarm_rate(times, T0, T0 + 60 * MIN)
    assert rate.mean == pytest.approx(2.0)  # 12 alarms in six 10-minute windows
    assert rate.peak == 2 and rate.total == 12
    assert rate.last_10min == 1  # 55 min; the one at 50 min is exactly 10 min old
    two_positions = alarm_rate(times, T0, T0 + 60 * MIN, positions=2)
    assert two_positions.mean == pytest.approx(1.0)


def test_no_alarms_is_a_zero_rate_and_no_flood():
    empty = np.zeros(0, dtype=np.int64)
    assert alarm_rate(empty, T0, T0 + MIN).mean == 0.0
    assert flood_fraction(empty, T0, T0 + MIN) == 0.0


def test_flood_time_is_while_more_than_ten_alarms_fall_in_ten_minutes():
    # eleven alarms one second apart: the 11th makes a flood that lasts until the 1st ages out
    times = np.array([T0 + i * S for i in range(11)])
    fraction = flood_fraction(times, T0, T0 + 100 * MIN)
    flooded_s = 600 - 10  # from the 11th (T0+10 s) to the 1st leaving (T0+600 s)
    assert fraction == pytest.approx(flooded_s / (100 * 60))
    assert flood_fraction(times[:10], T0, T0 + 100 * MIN) == 0.0  # ten is not a flood


def test_flood_time_counts_only_inside_the_period():
    times = np.array([T0 + i * S for i in range(11)])
    assert flood_fraction(times, T0 + 5 * MIN, T0 + 6 * MIN) == pytest.approx(1.0)


def test_top_ten_ranks_by_count_and_gives_each_alarms_share():
    events = [_raise(f"A{k}", T0 + i) for k in range(12) for i in range(k + 1)]
    events.append(_raise("HIDDEN", T0, annunciated=False))
    top = top_alarms(events)
    assert [a.alarm_id for a in top] == [f"A{k}" for k in range(11, 1, -1)]
    total = sum(k + 1 for k in range(12))
    assert top[0].count == 12 and top[0].share == pytest.approx(12 / total)


def test_chattering_is_three_activations_within_sixty_seconds():
    events = [_raise("C", T0 + t * S) for t in (0, 20, 50)]  # three within 60 s
    events += [_raise("SLOW", T0 + t * S) for t in (0, 40, 100)]  # never three within 60 s
    found = chattering(events)
    assert [(c.alarm_id, c.most_in_window) for c in found] == [("C", 3)]
    flagged = _record("SLOW", chattering=True)
    assert {c.alarm_id for c in chattering(events, [flagged])} == {"C", "SLOW"}


def test_stale_alarms_are_those_active_for_more_than_a_day():
    now = T0 + 30 * 3600 * S
    old = _record("OLD", raised=T0)
    fresh = _record("NEW", raised=now - 3600 * S)
    cleared = _record("GONE", raised=T0, state=AlarmState.NORMAL, active=False)
    found = stale([old, fresh, cleared], now)
    assert [(s.alarm_id, round(s.active_h)) for s in found] == [("OLD", 30)]


def test_mean_time_to_acknowledge_by_level():
    acks = [
        AckEvent("A", 1, T0, T0 + 30 * S),
        AckEvent("B", 1, T0, T0 + 90 * S),
        AckEvent("C", 4, T0, T0 + 600 * S),
    ]
    by_level = ack_time_by_level(acks)
    assert list(by_level) == [1, 4]
    assert (by_level[1].mean_s, by_level[1].count) == (60.0, 2)
    assert by_level[4].mean_s == 600.0


def test_mean_time_to_acknowledge_by_shift_uses_the_shift_on_duty_at_the_raise():
    beijing = timezone(timedelta(hours=8))
    day = T0 + 2 * 3600 * S  # 10:00 in Beijing
    evening = T0 + 10 * 3600 * S  # 18:00
    night = T0 + 20 * 3600 * S  # 04:00 next day
    acks = [
        AckEvent("A", 2, day, day + 60 * S),
        AckEvent("B", 2, day, day + 120 * S),
        AckEvent("C", 2, evening, evening + 300 * S),
        AckEvent("D", 2, night, night + 900 * S),
    ]
    by_shift = ack_time_by_shift(acks, tz=beijing)
    assert by_shift["08-16"].mean_s == 90.0 and by_shift["08-16"].count == 2
    assert by_shift["16-24"].mean_s == 300.0
    assert by_shift["00-08"].mean_s == 900.0


def test_shifts_are_configurable_and_may_wrap_past_midnight():
    shifts = parse_shifts("07:30-19:30, 19:30-07:30")
    assert shift_of(T0 + 8 * 3600 * S, shifts, UTC) == "07:30-19:30"
    assert shift_of(T0 + 23 * 3600 * S, shifts, UTC) == "19:30-07:30"
    assert shift_of(T0 + 7 * 3600 * S, shifts, UTC) == "19:30-07:30"
    with pytest.raises(ValueError, match="START-END"):
        parse_shifts("day")


def test_the_event_log_counts_each_raise_and_ack_once_and_stays_bounded():
    log = AlarmEventLog(started_us=T0, max_events=5)
    first = _record("A1", raised=T0)
    log.observe_all([first, first])  # a snapshot repeats what a change already said
    acked = replace(first, state=AlarmState.ACKED, ack_us=T0 + 40 * S, changed_us=T0 + 40 * S)
    log.observe_all([acked, acked])
    assert len(log.raises) == 1 and len(log.acks) == 1
    assert log.acks[0].ack_us - log.acks[0].raised_us == 40 * S
    for i in range(10):
        log.observe(_record("A1", raised=T0 + (i + 1) * MIN))
    assert len(log.raises) == 5


def test_a_whole_report_exports_as_json_and_csv(tmp_path: Path):
    log = AlarmEventLog(started_us=T0)
    for i in range(12):
        log.observe(_record(f"A{i % 3}", raised=T0 + i * 10 * S, level=1 + i % 4))
    log.observe(
        replace(_record("A0", raised=T0 + 90 * S), ack_us=T0 + 100 * S, state=AlarmState.ACKED)
    )
    report = compute_kpis(log, [], T0 + 20 * MIN, tz=UTC)
    assert report.flood_fraction > 0 and report.rate.total == 12
    assert report.top[0].count == 4
    doc = json.loads(write_report(report, tmp_path / "kpis.json").read_text())
    assert doc["format"] == "lifeline-alarm-kpis/1"
    assert doc["ack_by_level"]["3"]["count"] == 1  # the raise at 90 s was seen once
    rows = list(csv.reader(io.StringIO(report_to_csv(report))))
    assert rows[0] == ["section", "key", "value", "count"]
    assert rows[6][:2] == ["flood", "percent_of_time"]
    assert write_report(report, tmp_path / "kpis.csv").read_text().startswith("section,")


def test_console_config_refuses_bad_shifts_naming_the_field():
    from console.config import ConfigError, ConsoleConfig, apply_overrides

    config = apply_overrides(ConsoleConfig(), {"shifts": "06-18,18-06"}, "command line")
    assert [s.name for s in parse_shifts(config.shifts)] == ["06-18", "18-06"]
    with pytest.raises(ConfigError, match="command line: field 'shifts'"):
        apply_overrides(ConsoleConfig(), {"shifts": "mornings"}, "command line")
