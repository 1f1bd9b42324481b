"""EPA SWMM on the demo district's sewers under a design storm: filling follows the network."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from backend_client.city import City, demo_city_path, load_city
from simulator.physics.drainage import DesignStorm, StormResult, route_storm, storm_run

pytest.importorskip("pyswmm")


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


@pytest.fixture(scope="module")
def storm(demo: City) -> StormResult:
    return route_storm(demo, DesignStorm(return_period_y=5.0))


def _pipeline(demo: City, node_id: str) -> str:
    return next(n.pipeline for n in demo.nodes if n.id == node_id)


def _fill_minute(result: StormResult, node_id: str, fraction: float) -> float:
    full = next(n.max_depth_m for n in result.network.nodes if n.id == node_id)
    above = np.flatnonzero(result.depth_m[node_id] >= fraction * full)
    return float(result.times_s[above[0]] / 60.0) if above.size else np.inf


def test_the_chicago_hyetograph_holds_the_idf_depth_and_peaks_at_its_ratio() -> None:
    storm = DesignStorm(return_period_y=5.0, duration_min=120.0, peak_ratio=0.4)
    rain = storm.intensities(60)
    a = storm.a_mm_min * (1 + storm.c * np.log10(5.0))
    assert rain.sum() / 60.0 == pytest.approx(a * 120 / (120 + storm.b_min) ** storm.n, rel=1e-6)
    assert np.argmax(rain) in (47, 48)
    assert rain.max() > 150.0, "a 5-year storm peaks at well over 100 mm/h for a minute"


def test_a_storm_fills_the_laterals_before_the_trunks_they_drain_into(demo, storm) -> None:
    level = [s.asset for s in demo.sensors if s.domain == "drainage" and s.type == "LEVEL"]
    trunks = {p.id for p in demo.pipelines if p.domain == "drainage" and p.diameter >= 1.0}
    lateral = [_fill_minute(storm, n, 0.6) for n in level if _pipeline(demo, n) not in trunks]
    trunk = [_fill_minute(storm, n, 0.6) for n in level if _pipeline(demo, n) in trunks]
    assert np.isfinite(lateral).all() and np.isfinite(trunk).all()
    assert np.mean(lateral) < np.mean(trunk)
    west = [_fill_minute(storm, n, 0.6) for n in ("MH-D-004", "MH-D-018")]  # the upstream ends
    assert max(west) < min(trunk), f"laterals {west} min, trunks from {min(trunk)} min"


def test_surcharge_ponds_upstream_and_the_streets_beside_the_outfalls_stay_dry(demo, storm) -> None:
    full = {n.id: n.max_depth_m for n in storm.network.nodes}
    for trunk in ("P-D-013", "P-D-014", "P-D-015", "P-D-016", "P-D-017"):
        gauged = [
            s.asset
            for s in demo.sensors
            if s.type == "LEVEL" and s.domain == "drainage" and _pipeline(demo, s.asset) == trunk
        ]  # listed upstream -> outfall
        ponding = [storm.depth_m[n].max() - full[n] for n in gauged]
        assert ponding[0] > 0.05, f"{trunk}: the head of the trunk floods the street"
        assert all(a >= b - 1e-6 for a, b in pairwise(ponding)), ponding
        assert ponding[-1] < 0.01, f"{trunk}: no street flooding by the free outfall"


def test_the_storm_run_compresses_model_time_and_reads_rain_level_and_ponding(demo) -> None:
    run = storm_run(demo, DesignStorm(return_period_y=5.0), time_scale=10.0)
    types = [demo.sensors[c].type for c in run.channels]
    assert {"RAIN", "LEVEL", "POND"} <= set(types)
    assert run.duration_s == pytest.approx(3 * 3600 / 10.0, abs=60 / 10.0)
    peak = run.offsets(48 * 60 / 10.0)
    rain = np.array([t == "RAIN" for t in types])
    assert peak[rain].min() > 100.0
    assert np.all(run.offsets(run.duration_s) == 0.0), "it ends calm"
