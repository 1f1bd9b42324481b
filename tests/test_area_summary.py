"""Summary tile counts without Qt: levels, worst state, all-clear groups, areas, health, deltas."""

import time

import numpy as np
import pytest

from backend_client.city import Sensor
from backend_client.model.alarm_book import AlarmBook
from backend_client.model.area_summary import (
    WORST_STATE_ORDER,
    AreaSummaries,
    GroupSummary,
    offline_limits_us,
    sensor_health,
)
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState, LoopStage, Quality

S = AlarmState
# (domain, area) per sensor: gas in A1/A2, water in A2, bridge in A3, heating (no alarms) in A1
LAYOUT = [("gas", "A1"), ("gas", "A2"), ("water", "A2"), ("water", "A2"), ("bridge", "A3")]
LAYOUT += [("heating", "A1"), ("bridge", "A3"), ("gas", "A1")]
AREAS = {"A1": "Old Town", "A2": "Riverside", "A3": "North Gate", "A4": "Science Park"}


def _sensors(layout=LAYOUT):
    return tuple(
        Sensor(f"S{i}", f"Sensor {i}", d, "t", "u", (0, 0, 0), f"asset-{i}", a)
        for i, (d, a) in enumerate(layout)
    )


def _alarm(i, level, state=S.UNACK, sensor=None, loop=LoopStage.NONE):
    return AlarmRecord(
        f"S{i}/{level}", i, sensor or f"S{i}", level, state, True, 1.0, 0.5, i, i, loop=loop
    )


BOOK = [
    _alarm(0, 3, S.ACKED),
    _alarm(1, 2, S.UNACK),
    _alarm(7, 1, S.ACKED),  # gas: an acknowledged level I is still the worst level
    _alarm(2, 4, S.RTN_UNACK),
    _alarm(3, 3, S.SHELVED),  # water: set aside, counted apart
    _alarm(4, 1, S.OUT_OF_SERVICE),  # bridge: only set aside; no standing level
    _alarm(6, 2, S.NORMAL, loop=LoopStage.DISPATCHED),  # bridge: cleared, loop still open
]


def _by_key(summaries):
    return {s.key: s for s in summaries}


def test_counts_by_level_unacked_and_worst_state_per_domain():
    summaries = AreaSummaries(_sensors(), AREAS)
    summaries.reset(BOOK)
    tiles = _by_key(summaries.summaries("domain"))
    gas, water, bridge = tiles["gas"], tiles["water"], tiles["bridge"]
    assert gas.by_level == (1, 1, 1, 0)
    assert (gas.unacked, gas.worst_level, gas.worst_state) == (1, 1, S.UNACK)
    assert gas.sensors == 3
    assert water.by_level == (0, 0, 0, 1) and water.shelved == 1
    assert (water.unacked, water.worst_level, water.worst_state) == (1, 4, S.RTN_UNACK)
    assert bridge.standing == 0 and bridge.out_of_service == 1 and bridge.open_loops == 1
    assert (bridge.worst_level, bridge.worst_state) == (0, S.OUT_OF_SERVICE)
    assert not bridge.all_clear, "set-aside alarms are shown, not hidden as all clear"


def test_groups_without_alarms_appear_all_clear_in_a_stable_order():
    summaries = AreaSummaries(_sensors(), AREAS)
    before = summaries.groups("domain")
    assert before == ["gas", "water", "heating", "bridge"]  # the city format's domain order
    summaries.reset(BOOK)
    assert summaries.groups("domain") == before, "tiles never move when alarms change"
    heating = _by_key(summaries.summaries("domain"))["heating"]
    assert heating.all_clear and heating.worst_level == 0 and heating.standing == 0
    assert heating.worst_state == S.NORMAL


def test_grouping_by_area_uses_the_city_order_and_names_and_keeps_empty_areas():
    summaries = AreaSummaries(_sensors(), AREAS)
    summaries.reset(BOOK)
    tiles = summaries.summaries("area")
    assert [t.key for t in tiles] == ["A1", "A2", "A3", "A4"]
    assert [t.name for t in tiles] == list(AREAS.values())
    a1, a2, a3, a4 = tiles
    assert a1.by_level == (1, 0, 1, 0) and a1.unacked == 0 and a1.worst_state == S.ACKED
    assert a2.by_level == (0, 1, 0, 1) and a2.unacked == 2 and a2.worst_level == 2
    assert a3.worst_state == S.OUT_OF_SERVICE
    assert a4.sensors == 0 and a4.all_clear


def test_worst_state_order_puts_unacknowledged_first_and_normal_last():
    assert WORST_STATE_ORDER[:3] == (S.UNACK, S.RTN_UNACK, S.ACKED)
    assert WORST_STATE_ORDER[-1] == S.NORMAL
    assert set(WORST_STATE_ORDER) == set(AlarmState)


def test_alarms_of_unknown_sensors_show_in_an_unassigned_group_only_when_present():
    summaries = AreaSummaries(_sensors(), AREAS)
    assert "" not in summaries.groups("domain")
    summaries.reset([_alarm(99, 1, sensor="nowhere")])
    unassigned = _by_key(summaries.summaries("domain"))[""]
    assert unassigned.by_level == (1, 0, 0, 0) and unassigned.sensors == 0


def test_deltas_from_the_book_match_a_full_recount():
    book = AlarmBook()
    book.apply_snapshot(0, BOOK[:3])
    summaries = AreaSummaries(_sensors(), AREAS)
    assert summaries.sync(book)
    assert not summaries.sync(book), "nothing changed: no work, no new version"
    version = summaries.version
    for seq, alarm in enumerate([*BOOK[3:], _alarm(1, 2, S.ACKED)], start=1):
        book.apply_change(AlarmChange(seq, alarm))
    book.apply_change(AlarmChange(6, _alarm(0, 3, S.NORMAL)))  # cleared, loop closed: gone
    assert summaries.sync(book) and summaries.version > version
    fresh = AreaSummaries(_sensors(), AREAS)
    fresh.reset(book.changes_since(None).alarms.values())
    for group_by in ("domain", "area"):
        assert summaries.summaries(group_by) == fresh.summaries(group_by)
    gas = _by_key(summaries.summaries("domain"))["gas"]
    assert gas.by_level == (1, 1, 0, 0) and gas.unacked == 0


def test_health_counts_bad_quality_and_offline_sensors_apart():
    sensors = _sensors()
    summaries = AreaSummaries(sensors, AREAS)
    now = 1_000_000_000_000
    times = np.full(len(sensors), now, dtype=np.int64)
    times[0] = 0  # never heard from
    quality = np.zeros(len(sensors), dtype=np.uint8)
    quality[[0, 1, 7]] = Quality.FAULT
    quality[2] = Quality.MISSING  # a gap in the data, not a bad reading
    bad, offline = sensor_health(quality, times, offline_limits_us(sensors), now)
    assert summaries.set_health(bad, offline)
    assert not summaries.set_health(bad, offline)
    gas = _by_key(summaries.summaries("domain"))["gas"]
    assert (gas.offline, gas.bad_quality) == (1, 2)
    assert gas.all_clear, "health is shown beside the alarm state, it is not an alarm"


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="group_by"):
        AreaSummaries(_sensors()).summaries("street")


def test_a_refresh_of_40000_sensors_and_10000_alarms_takes_milliseconds():
    domains = ("gas", "water", "drainage", "heating", "bridge", "tunnel")
    layout = [(domains[i % 6], f"D{i % 400:03d}") for i in range(40_000)]
    sensors = _sensors(layout)
    states = list(S)
    alarms = [_alarm(i * 4, 1 + i % 4, states[i % len(states)]) for i in range(10_000)]
    summaries = AreaSummaries(sensors)
    t0 = time.perf_counter()
    summaries.reset(alarms)
    tiles = summaries.summaries("area")
    full_s = time.perf_counter() - t0
    assert len(tiles) == 400 and sum(t.standing + t.set_aside for t in tiles) > 5000
    changed = {a.id: a for a in (_alarm(i * 4, 1, S.UNACK) for i in range(0, 10_000, 200))}
    t0 = time.perf_counter()
    summaries.apply(changed)
    summaries.summaries("area")
    summaries.summaries("domain")
    delta_s = time.perf_counter() - t0
    assert isinstance(tiles[0], GroupSummary)
    assert delta_s < 0.02 and full_s < 0.2  # generous for a loaded CI machine; see the bench
