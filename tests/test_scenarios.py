"""Scripted incidents: each moves the right sensors, in the right order, by plausible amounts."""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.city import City, demo_city_path, load_city
from simulator import geometry
from simulator.alarms import AlarmEngine
from simulator.scenarios import (
    ScenarioError,
    ScenarioRunner,
    get_scenario,
    list_scenarios,
)
from simulator.signals import EmissionSchedule, SignalModel

T0 = 1_750_000_000.0


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


def test_registry_lists_the_four_incidents_with_titles() -> None:
    names = [s.name for s in list_scenarios()]
    assert names == ["gas-leak", "water-main-burst", "drainage-overflow", "bridge-overload"]
    assert all(s.title and len(s.description) > 40 for s in list_scenarios())


def test_gas_leak_alarms_at_its_zone_first_and_a_neighbour_later(demo: City) -> None:
    """Calm signals + the leak, sampled as the server would, through the real alarm engine."""
    runner = ScenarioRunner(demo)
    run = runner.start("gas-leak", {"tunnel": "T1", "zone": "T1/Z05"}, T0)
    assert run.summary == "methane leak in T1/Z05"
    signals = SignalModel(demo.sensors, seed=2, dropout_prob=0, fault_prob=0)
    schedule = EmissionSchedule([s.rate_hz for s in demo.sensors])
    engine = AlarmEngine(demo.sensors)
    first_severe: dict[str, float] = {}
    for tick in range(600):  # one minute at 10 Hz
        t = T0 + tick / 10
        channels, offsets = schedule.due(tick)
        signals.advance(t)
        values, quality = signals.sample(channels, t + offsets)
        values += runner.offsets(t)[channels]
        times = np.full(channels.size, int(t * 1e6))
        for change in engine.evaluate(channels, values, quality, times):
            a = change.alarm
            if a.active and a.level <= 2 and a.id not in first_severe:
                first_severe[a.id] = t - T0
    source = first_severe["T1/GAS/Z05/CH4/01"]
    neighbours = [first_severe.get(f"T1/GAS/{z}/CH4/01", np.inf) for z in ("Z04", "Z06")]
    assert source <= 10.0, "level I/II at the source within seconds"
    assert source < min(neighbours) <= 40.0, "then at a neighbouring zone"
    assert "T1/GAS/Z08/CH4/01" not in first_severe, "three zones away stays below level II"
    assert not any(k.startswith("T2/") for k in first_severe)


def test_gas_leak_is_ventilated_away_within_minutes(demo: City) -> None:
    run = get_scenario("gas-leak").build(demo, {"zone": "T1/Z05"})
    peak = run.offsets(55.0).max()
    assert peak > 25
    assert run.offsets(300.0).max() < 0.05 * peak
    assert run.duration_s < 600


def test_offsets_are_pure_functions_of_elapsed_time(demo: City) -> None:
    for scenario in list_scenarios():
        run = scenario.build(demo)
        later, earlier = run.offsets(40.0), run.offsets(5.0)
        np.testing.assert_array_equal(run.offsets(40.0), later)
        np.testing.assert_array_equal(run.offsets(5.0), earlier)
        assert np.all(run.offsets(0.0) == 0), f"{scenario.name} starts from calm"


def test_water_main_burst_drops_pressure_most_near_the_burst(demo: City) -> None:
    run = get_scenario("water-main-burst").build(demo, {"pipeline": "P-W-001", "at": 0.5})
    offsets = run.offsets(60.0)
    kinds = np.array([demo.sensors[c].type for c in run.channels])
    pipe = next(p for p in demo.pipelines if p.id == "P-W-001")
    burst = geometry.point_at(pipe.path, 0.5 * geometry.length(pipe.path))
    xy = np.array([demo.sensors[c].position[:2] for c in run.channels])
    dist = np.hypot(*(xy - burst).T)
    press = kinds == "PRESS"
    assert np.all(offsets[press] < 0) and np.all(offsets[kinds == "FLOW"] > 0)
    by_distance = offsets[press][np.argsort(dist[press])]
    assert np.all(np.diff(by_distance) >= 0), "the drop shrinks with distance"
    assert by_distance[0] < -0.1
    after = np.abs(run.offsets(run.duration_s))
    assert np.all(after <= 0.01 * np.abs(offsets)), "recovers after isolation"


def test_drainage_overflow_fills_manholes_upstream_first(demo: City) -> None:
    run = get_scenario("drainage-overflow").build(demo)
    sensors = [demo.sensors[c] for c in run.channels]
    times = np.arange(0.0, 400.0, 2.0)
    curves = np.array([run.offsets(t) for t in times])  # (time, channel)
    half = np.array([times[np.argmax(col >= 0.5 * col.max())] for col in curves.T])
    rain = [i for i, s in enumerate(sensors) if s.type == "RAIN"]
    levels = [i for i, s in enumerate(sensors) if s.type == "LEVEL"]
    ponds = [i for i, s in enumerate(sensors) if s.type == "POND"]
    assert rain and levels and ponds
    assert max(half[rain]) < min(half[levels]), "rain comes before the sewers fill"
    order = [n.id for n in demo.nodes]
    trunk = {}
    for i in levels:
        trunk.setdefault(
            next(n.pipeline for n in demo.nodes if n.id == sensors[i].asset), []
        ).append(i)
    multi = [ids for ids in trunk.values() if len(ids) > 2]
    assert multi
    for ids in multi:
        ids.sort(key=lambda i: order.index(sensors[i].asset))
        assert list(half[ids]) == sorted(half[ids]), "upstream manholes fill first"
    depth_ok = [curves[:, i].max() <= 1.0 * -sensors[i].position[2] for i in levels]
    assert all(depth_ok), "a manhole never fills past its own depth"


def test_bridge_overload_peaks_at_midspan_and_shakes_the_deck(demo: City) -> None:
    run = get_scenario("bridge-overload").build(demo, {"bridge": "B2"})
    sensors = [demo.sensors[c] for c in run.channels]
    assert {s.asset for s in sensors} == {"B2"}
    held = run.offsets(40.0)
    strain = {s.id: held[i] for i, s in enumerate(sensors) if s.type == "STRAIN"}
    assert strain["BR/B2/STRAIN/03"] > strain["BR/B2/STRAIN/01"] > 100
    accel = np.array([run.offsets(t)[[i for i, s in enumerate(sensors) if s.type == "ACCEL"]]
                      for t in np.arange(20.0, 22.0, 0.1)])  # fmt: skip
    assert accel.max() > 0.2 and accel.min() < -0.2, "vibration bursts both ways"


def test_bad_names_and_parameters_are_refused(demo: City) -> None:
    with pytest.raises(ScenarioError, match="unknown scenario 'meteor'"):
        get_scenario("meteor")
    leak = get_scenario("gas-leak")
    with pytest.raises(ScenarioError, match="unknown parameter 'size'"):
        leak.build(demo, {"size": 3})
    with pytest.raises(ScenarioError, match="must be a number"):
        leak.build(demo, {"peak_lel": "lots"})
    with pytest.raises(ScenarioError, match="no tunnel holding zone 'T9/Z01'"):
        leak.build(demo, {"zone": "T9/Z01"})
    with pytest.raises(ScenarioError, match="no fire zone 'T2/Z01'"):
        leak.build(demo, {"tunnel": "T1", "zone": "T2/Z01"})
    assert leak.build(demo, {"zone": "T2/Z03"}).summary == "methane leak in T2/Z03"


def test_runner_forgets_finished_scenarios(demo: City) -> None:
    runner = ScenarioRunner(demo)
    run = runner.start("bridge-overload", None, T0)
    assert np.any(runner.offsets(T0 + 30) != 0)
    assert np.all(runner.offsets(T0 + run.duration_s + 1) == 0)
    assert runner.active == []
