"""Methane in a tunnel gas compartment: zone-to-zone spread, accident ventilation on alarm."""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.city import City, demo_city_path, load_city
from simulator.physics.gas import GasHistory, GasRelease, release_history, release_run
from simulator.scenario_run import ScenarioError


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


@pytest.fixture(scope="module")
def leak(demo: City) -> GasHistory:
    return release_history(demo, "T1", "T1/GAS", [GasRelease(30.0, "T1/Z05", 0.08)], 2400.0)


def _zone(h: GasHistory, zone: str) -> int:
    return h.zones.index(zone)


def test_the_alarm_switches_its_zone_and_both_neighbours_to_accident_ventilation(leak) -> None:
    src = _zone(leak, "T1/Z05")
    first = np.argmax(leak.lel[:, src] >= 20.0)
    assert leak.times_s[first] < 600, "the alarm limit is reached within minutes"
    assert not leak.accident[first - 1].any(), "2 air changes an hour until the alarm"
    after = leak.accident[first + 1]  # rows are 5 s apart; the switch is within one step
    assert list(np.flatnonzero(after)) == [src - 1, src, src + 1]
    assert leak.accident[-1].sum() == 3, "the other zones keep normal ventilation"


def test_gas_spreads_to_the_neighbours_weaker_and_later_and_no_further(leak) -> None:
    z = [_zone(leak, f"T1/Z0{k}") for k in (5, 6, 7)]
    peaks = leak.lel[:, z].max(axis=0)
    assert peaks[0] > peaks[1] > peaks[2] >= 0
    assert 1.0 < peaks[1] < 0.5 * peaks[0]
    when = leak.times_s[leak.lel[:, z].argmax(axis=0)]
    assert when[0] < when[1], "the neighbour peaks after the source"


def test_shutoff_at_the_emergency_limit_and_ventilation_clear_the_alarm(leak) -> None:
    src = _zone(leak, "T1/Z05")
    assert leak.shutoff_s is not None
    at = np.argmax(leak.times_s >= leak.shutoff_s)
    assert leak.lel[at - 1, src] == pytest.approx(25.0, abs=0.5)
    assert leak.lel[:, src].max() < 26.0, "the source stops at the shut-off"
    below = leak.times_s[(leak.times_s > leak.shutoff_s) & (leak.lel[:, src] < 5.0)]
    # accident ventilation: 6 air changes an hour, a 10-minute time constant (25 -> 5: ~16 min)
    assert 600 < below[0] - leak.shutoff_s < 1500


def test_the_release_run_moves_methane_and_oxygen_detectors_in_compressed_time(demo) -> None:
    run = release_run(demo, "T1", "T1/GAS", [GasRelease(40.0, "T1/Z05")], 600.0, time_scale=4.0)
    ids = [demo.sensors[c].id for c in run.channels]
    ch4 = ids.index("T1/GAS/Z05/CH4/01")
    o2 = next(k for k, i in enumerate(ids) if i.startswith("T1/GAS/Z05/O2"))
    peak_t = run.times_s[np.argmax(run.table[:, ch4])]
    assert peak_t < 200.0, "an alarm in drill minutes, not real ones"
    assert run.table[:, o2].min() < -0.2, "methane displaces oxygen"
    assert run.duration_s == pytest.approx(600.0)


def test_a_zone_the_tunnel_lacks_is_refused_with_its_name(demo) -> None:
    with pytest.raises(ScenarioError, match="no fire zone 'T1/Z99'"):
        release_history(demo, "T1", "", [GasRelease(0.0, "T1/Z99")], 60.0)
