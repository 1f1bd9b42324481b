"""Bridge gauges under seeded traffic and an overload convoy."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from backend_client.city import City, demo_city_path, load_city
from simulator.physics.bridge import BridgeRun, Overload, traffic_run
from simulator.scenarios import ScenarioRunner
from simulator.signals import EmissionSchedule


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


def _series(run: BridgeRun, t0: float, t1: float, hz: float = 10.0) -> np.ndarray:
    return np.array([run.offsets(t) for t in np.arange(t0, t1, 1.0 / hz)])


def test_an_overload_convoy_strains_and_deflects_midspan_far_beyond_normal_traffic(demo) -> None:
    run = traffic_run(demo, "B1", seed=4, duration_s=240.0, overloads=[Overload(120.0, 3, 60.0)])
    normal, convoy = _series(run, 0, 115).max(axis=0), _series(run, 120, 170).max(axis=0)
    ids = [demo.sensors[c].id for c in run.channels]
    mid_strain = ids.index("BR/B1/STRAIN/03")
    mid_defl = ids.index("BR/B1/DEFL/02")
    assert convoy[mid_strain] > 200.0 > normal[mid_strain]
    assert convoy[mid_defl] > 30.0 > normal[mid_defl]
    end_strain = ids.index("BR/B1/STRAIN/01")
    assert convoy[mid_strain] > convoy[end_strain], "midspan carries the largest moment"


def test_deck_acceleration_rings_at_the_first_mode_and_dies_away(demo) -> None:
    run = traffic_run(demo, "B1", seed=4, duration_s=60.0, overloads=[Overload(0.0, 1, 60.0)])
    accel = [k for k, c in enumerate(run.channels) if demo.sensors[c].type == "ACCEL"]
    fast = _series(run, 0, 20, hz=100.0)[:, accel[1]]
    spectrum = np.abs(np.fft.rfft(fast - fast.mean()))
    freqs = np.fft.rfftfreq(fast.size, 0.01)
    assert freqs[np.argmax(spectrum)] == pytest.approx(run.settings.mode_hz, abs=0.2)
    assert {demo.sensors[run.channels[k]].rate_hz for k in accel} == {10.0}, "sampled faster"


def test_the_same_seed_gives_the_same_traffic_and_another_seed_other_traffic(demo) -> None:
    a, b, c = (traffic_run(demo, "B2", seed=s, duration_s=120.0) for s in (9, 9, 10))
    np.testing.assert_array_equal(_series(a, 0, 60, 2), _series(b, 0, 60, 2))
    assert not np.array_equal(_series(a, 0, 60, 2), _series(c, 0, 60, 2))


def test_a_fast_accelerometer_sees_the_deck_ring_within_one_tick(demo) -> None:
    fast = replace(demo, sensors=tuple(
        replace(s, rate_hz=50.0) if s.type == "ACCEL" else s for s in demo.sensors
    ))  # fmt: skip
    runner = ScenarioRunner(fast)
    runner.add(traffic_run(fast, "B1", 4, 60.0, overloads=[Overload(0.0, 1, 60.0)]), 0.0)
    channels, offsets = EmissionSchedule([s.rate_hz for s in fast.sensors]).due(30)
    accel = next(i for i, s in enumerate(fast.sensors) if s.id == "BR/B1/ACCEL/02")
    mine = channels == accel
    assert mine.sum() == 5, "five samples a tick at 50 Hz on a 10 Hz loop"
    values = runner.offsets_at(channels, 3.0 + offsets)[mine]
    assert len(np.unique(np.round(values, 9))) == 5, "each sample at its own time"
