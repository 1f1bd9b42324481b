"""EPANET (WNTR) bursts on the demo district's water network: physics, not curves drawn by hand."""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.city import City, demo_city_path, load_city
from simulator.physics.table_run import TableRun
from simulator.physics.water import Burst, burst_run
from simulator.physics.water_network import build_graph

pytest.importorskip("wntr")

BURST_AT = "WS/P-W-009/PRESS/01"


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


@pytest.fixture(scope="module")
def burst(demo: City) -> TableRun:
    sensor = next(s for s in demo.sensors if s.id == BURST_AT)
    where = (sensor.position[0], sensor.position[1])
    return burst_run(demo, [Burst(60.0, where, 0.02, 180.0)], seed=1, duration_s=300.0)


def _pressure(demo: City, run: TableRun) -> tuple[np.ndarray, np.ndarray]:
    """(distance from the burst m, offset MPa at 120 s) of every water pressure sensor."""
    src = np.array(next(s for s in demo.sensors if s.id == BURST_AT).position[:2])
    press = np.array([demo.sensors[c].type == "PRESS" for c in run.channels])
    xy = np.array([demo.sensors[c].position[:2] for c in run.channels[press]])
    return np.hypot(*(xy - src).T), run.offsets(120.0)[press]


def test_graph_joins_the_street_mains_into_one_network_fed_from_the_largest_main(demo: City):
    graph = build_graph(demo)
    assert len(graph.names) > 100 and len(graph.pipes) >= len(graph.names) - 1
    assert {q.pipeline for q in graph.pipes} == {
        p.id for p in demo.pipelines if p.domain == "water"
    }
    assert all(q.length_m <= 150 + 2 * 30 for q in graph.pipes), "split, then snapped"


def test_a_burst_lowers_pressure_at_the_nearest_sensors_more_than_at_far_ones(demo, burst):
    dist, drop = _pressure(demo, burst)
    by_distance = drop[np.argsort(dist)]
    near, far = by_distance[:3], by_distance[-3:]  # within 600 m; 1.9 to 2.4 km away
    assert near.mean() < 2 * far.mean(), f"near {near} vs far {far} MPa"
    assert by_distance[0] == drop.min() < -0.05, "the sensor at the burst loses the most"
    assert np.all(drop <= 1e-6), "a burst raises no pressure anywhere"


def test_the_burst_starts_at_its_time_draws_flow_through_the_main_and_stops_when_isolated(
    demo, burst
):
    assert np.allclose(burst.offsets(30.0), 0.0, atol=1e-9), "calm before the burst"
    main_flow = next(
        k for k, c in enumerate(burst.channels) if demo.sensors[c].id == "WS/P-W-001/FLOW/01"
    )
    assert burst.offsets(120.0)[main_flow] > 100.0, "m3/h more through the feeding main"
    assert np.allclose(burst.offsets(280.0), 0.0, atol=1e-3), "isolated: pressures recover"
