"""Water supply bursts computed by EPANET's equations (WNTR): pressure falls most near the hole.

The network comes from water_network.build_graph; a reservoir feeds the city's largest main and
each junction draws a demand in proportion to the pipe length it serves, following a daily
pattern. A burst is a WNTR leak (orifice flow, area and discharge coefficient) that opens at its
time and closes when the section is isolated. The model runs twice, with and without the bursts,
over the scenario's horizon before the scenario starts; the offsets are the difference at each
sensor, so calm signals keep their own daily cycle and noise.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from backend_client.city import City
from simulator.physics.table_run import TableRun
from simulator.physics.water_network import (
    SOURCE,
    SOURCE_LINK,
    WaterGeometry,
    WaterGraph,
    build_graph,
    segment_of,
)
from simulator.scenario_run import ScenarioError

log = logging.getLogger(__name__)
logging.getLogger("wntr.sim.core").setLevel(logging.WARNING)  # it logs every hydraulic step

G = 9.80665
# hourly demand multipliers from midnight, local time (a residential district: morning and
# evening peaks, a night minimum); their mean is 1
DAILY_DEMAND = (
    0.55,
    0.5,
    0.46,
    0.45,
    0.5,
    0.68,
    0.98,
    1.32,
    1.4,
    1.24,
    1.12,
    1.08,
    1.14,
    1.06,
    1.0,
    1.0,
    1.06,
    1.18,
    1.34,
    1.4,
    1.28,
    1.04,
    0.82,
    0.66,
)
# WNTR's Newton solver differs between runs in the last ~1e-11; results are rounded far below any
# sensor's resolution (0.1 mm of head, 1e-7 m3/s) so that a seed reproduces a scenario exactly
HEAD_DECIMALS, FLOW_DECIMALS = 4, 7
PRESSURE_FROM_M = {"MPa": G / 1000.0, "kPa": G, "m": 1.0, "bar": G / 100.0}
FLOW_FROM_M3S = {"m3/h": 3600.0, "m3/s": 1.0, "L/s": 1000.0}


@dataclass(frozen=True, slots=True)
class WaterSettings:
    """Hydraulic assumptions the city model does not carry (see docs/scenarios.md)."""

    total_demand_m3s: float = 0.25  # the district's mean demand
    source_head_m: float = 42.0  # reservoir head above ground level
    hazen_williams_c: float = 110.0
    step_s: int = 15  # hydraulic time step
    required_pressure_m: float = 15.0  # pressure-driven demand: full demand at and above this
    discharge_coeff: float = 0.75  # of a burst's orifice
    geometry: WaterGeometry = field(default_factory=WaterGeometry)


@dataclass(frozen=True, slots=True)
class Burst:
    """A hole that opens at at_s (seconds after the scenario start) and is isolated later."""

    at_s: float
    xy: tuple[float, float]
    area_m2: float = 0.005
    isolate_after_s: float | None = None


def demand_shares(graph: WaterGraph, seed: int) -> np.ndarray:
    """Each junction's share of the demand: half the length of its pipes, jittered by the seed."""
    index = {name: k for k, name in enumerate(graph.names)}
    served = np.zeros(len(graph.names))
    for q in graph.pipes:
        served[index[q.start]] += q.length_m / 2
        served[index[q.end]] += q.length_m / 2
    served *= np.random.default_rng(seed).uniform(0.7, 1.3, served.shape)
    return served / served.sum()


def build_model(
    graph: WaterGraph, settings: WaterSettings, seed: int, start_hour: float, duration_s: float
):  # -> wntr.network.WaterNetworkModel (imported lazily: wntr takes a second to import)
    """A WNTR model of the graph with the daily demand pattern starting at start_hour."""
    import wntr

    wn = wntr.network.WaterNetworkModel()
    step = int(settings.step_s)
    wn.options.time.duration = int(np.ceil(duration_s / step) * step)
    wn.options.time.hydraulic_timestep = step
    wn.options.time.report_timestep = step
    wn.options.time.pattern_timestep = 3600
    wn.options.time.pattern_start = int(start_hour * 3600) % 86400
    wn.options.hydraulic.demand_model = "PDD"
    wn.options.hydraulic.required_pressure = settings.required_pressure_m
    wn.options.hydraulic.minimum_pressure = 0.0
    wn.add_pattern("daily", list(DAILY_DEMAND))
    shares = demand_shares(graph, seed)
    for name, (x, y), z, share in zip(
        graph.names, graph.xy, graph.elevation_m, shares, strict=True
    ):
        wn.add_junction(name, settings.total_demand_m3s * share, "daily", float(z), (x, y))
    sx, sy = graph.xy[graph.names.index(graph.source)]
    wn.add_reservoir(SOURCE, settings.source_head_m, coordinates=(sx - 20.0, sy))
    wn.add_pipe(SOURCE_LINK, SOURCE, graph.source, 20.0, 1.2, settings.hazen_williams_c)
    for q in graph.pipes:
        wn.add_pipe(q.name, q.start, q.end, q.length_m, q.diameter_m, settings.hazen_williams_c)
    return wn


def simulate(wn) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Run WNTR's pressure-driven solver: (times s, pressure m by junction, flow m3/s by pipe)."""
    import wntr

    results = wntr.sim.WNTRSimulator(wn).run_sim()
    pressure, flow = results.node["pressure"], results.link["flowrate"]
    times = pressure.index.to_numpy(dtype=float)
    return (
        times,
        {c: np.round(pressure[c].to_numpy(dtype=float), HEAD_DECIMALS) for c in pressure.columns},
        {c: np.round(flow[c].to_numpy(dtype=float), FLOW_DECIMALS) for c in flow.columns},
    )


def add_bursts(wn, graph: WaterGraph, bursts: Sequence[Burst], settings: WaterSettings) -> None:
    """Open each burst as a leak at the junction nearest it, closing it at isolation."""
    step = settings.step_s
    for b in bursts:
        start = int(round(b.at_s / step) * step)
        end = None
        if b.isolate_after_s is not None:
            end = max(start + step, int(round((b.at_s + b.isolate_after_s) / step) * step))
        junction = wn.get_node(graph.nearest(b.xy))
        junction.add_leak(
            wn,
            area=b.area_m2,
            discharge_coeff=settings.discharge_coeff,
            start_time=start,
            end_time=end,
        )


def burst_run(
    city: City,
    bursts: Sequence[Burst],
    seed: int,
    duration_s: float,
    start_hour: float = 10.0,
    settings: WaterSettings | None = None,
) -> TableRun:
    """Pressure and flow offsets at the city's water sensors: with the bursts minus without."""
    s = settings or WaterSettings()
    if not bursts:
        raise ScenarioError("water: a burst run needs at least one burst")
    graph = build_graph(city, s.geometry)
    log.debug("water: %d junctions, %d pipes", len(graph.names), len(graph.pipes))
    channels, pressure_at, flow_at, scale = _sensor_points(city, graph)
    calm = build_model(graph, s, seed, start_hour, duration_s)
    times, p0, q0 = simulate(calm)
    holed = build_model(graph, s, seed, start_hour, duration_s)
    add_bursts(holed, graph, bursts, s)
    times1, p1, q1 = simulate(holed)
    if not np.array_equal(times, times1):
        raise ScenarioError("water: the burst run reported different times from the calm run")
    cols = [p1[j] - p0[j] for j in pressure_at]
    cols += [np.abs(q1[q]) - np.abs(q0[q]) for q in flow_at]
    table = np.stack(cols, axis=1) * scale
    table[-1] = 0.0  # the drill ends calm (a recovered network reads as before)
    near = ", ".join(graph.nearest(b.xy) for b in bursts)
    return TableRun(
        "water-burst",
        f"water main burst at {near} (EPANET)",
        np.asarray(channels, dtype=np.intp),
        times,
        table,
        float(times[-1]),
    )


def _sensor_points(
    city: City, graph: WaterGraph
) -> tuple[list[int], list[str], list[str], np.ndarray]:
    """Channels of the water PRESS and FLOW sensors, the junction or pipe each reads, scales."""
    press, flow = [], []
    press_at, flow_at = [], []
    press_scale, flow_scale = [], []
    for i, sensor in enumerate(city.sensors):
        if sensor.domain != "water":
            continue
        xy = np.asarray(sensor.position[:2])
        if sensor.type == "PRESS" and sensor.unit in PRESSURE_FROM_M:
            press.append(i)
            press_at.append(graph.nearest(xy))
            press_scale.append(PRESSURE_FROM_M[sensor.unit])
        elif sensor.type == "FLOW" and sensor.unit in FLOW_FROM_M3S:
            pipe = segment_of(graph, sensor.asset, xy)
            if pipe is not None:
                flow.append(i)
                flow_at.append(pipe.name)
                flow_scale.append(FLOW_FROM_M3S[sensor.unit])
    if not press and not flow:
        raise ScenarioError("water: the city has no water PRESS or FLOW sensors on its network")
    return press + flow, press_at, flow_at, np.array(press_scale + flow_scale)
