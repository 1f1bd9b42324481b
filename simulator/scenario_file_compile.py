"""Binds a scenario file to a city and runs its field models ahead, giving timed runs to start.

Events that share a model are simulated together so their effects superpose physically: every
burst in one EPANET run, every release in one compartment in one zone-model run, all traffic and
overloads of one bridge in one run. Drill time is the file's `at_s`; the rain and gas models run
`time_scale` times faster than the drill (their physical durations and rates stay real-world).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass

from backend_client.city import City
from simulator import geometry
from simulator.physics.bridge import Overload, Traffic, traffic_run
from simulator.physics.drainage import DesignStorm, storm_run
from simulator.physics.gas import GasRelease, compartment_of, release_run
from simulator.physics.water import Burst, burst_run
from simulator.scenario_file import ScenarioEvent, ScenarioSpec
from simulator.scenario_library import LIBRARY
from simulator.scenario_run import OffsetRun, ScenarioError

_LIBRARY = {s.name: s for s in LIBRARY}


@dataclass(frozen=True, slots=True)
class TimedRun:
    """A run and when, in seconds after the drill's start, it begins."""

    at_s: float
    run: OffsetRun


@dataclass(frozen=True, slots=True)
class CompiledScenario:
    """A scenario file bound to a city: the runs to start, and whether they are a drill."""

    spec: ScenarioSpec
    runs: tuple[TimedRun, ...]

    @property
    def summary(self) -> str:
        drill = " (EXERCISE)" if self.spec.exercise else ""
        parts = "; ".join(r.run.summary for r in self.runs)
        return f"{self.spec.title or self.spec.name}{drill}: {parts}"


def _fail(spec: ScenarioSpec, event: ScenarioEvent, message: str) -> ScenarioError:
    return ScenarioError(f"{spec.source}: {event.path}: {message}")


def burst_point(city: City, spec: ScenarioSpec, e: ScenarioEvent) -> tuple[float, float]:
    """Where a water_burst event opens: at a sensor, a node, or a fraction along a pipeline."""
    a = e.args
    if a["near_sensor"]:
        sensor = next((s for s in city.sensors if s.id == a["near_sensor"]), None)
        if sensor is None:
            raise _fail(spec, e, f"no sensor {a['near_sensor']!r}")
        return sensor.position[0], sensor.position[1]
    if a["node"]:
        node = next((n for n in city.nodes if n.id == a["node"]), None)
        if node is None:
            raise _fail(spec, e, f"no node {a['node']!r}")
        return node.position[0], node.position[1]
    pipe = next((p for p in city.pipelines if p.id == a["pipeline"]), None)
    if pipe is None or pipe.domain != "water":
        raise _fail(spec, e, f"no water pipeline {a['pipeline']!r}")
    xy = geometry.point_at(pipe.path, a["at"] * geometry.length(pipe.path))
    return float(xy[0]), float(xy[1])


def check_targets(city: City, spec: ScenarioSpec) -> None:
    """Every id an event names exists in the city (cheap: no model runs); else ScenarioError."""
    bridges = {b.id for b in city.bridges}
    for e in spec.events:
        a = e.args
        if e.kind == "water_burst":
            burst_point(city, spec, e)
        elif e.kind == "gas_release":
            try:
                tunnel, _ = compartment_of(city, a["tunnel"], a["compartment"])
            except ScenarioError as exc:
                raise _fail(spec, e, str(exc)) from None
            if a["zone"] not in {z.id for z in tunnel.fire_zones}:
                raise _fail(spec, e, f"tunnel {tunnel.id} has no fire zone {a['zone']!r}")
        elif e.kind in ("bridge_traffic", "bridge_overload") and a["bridge"] not in bridges:
            raise _fail(spec, e, f"no bridge {a['bridge']!r}")
        elif e.kind == "scenario" and a["name"] not in _LIBRARY:
            raise _fail(spec, e, f"unknown scenario {a['name']!r} (known: {', '.join(_LIBRARY)})")


def _sub_seed(seed: int, what: str) -> int:
    """A seed per model, stable across runs and Python versions."""
    return zlib.crc32(f"{seed}:{what}".encode())


def compile_scenario(city: City, spec: ScenarioSpec) -> CompiledScenario:
    """Run every field model the file needs (seconds for the demo city) and time the results."""
    check_targets(city, spec)
    runs: list[TimedRun] = []
    by_kind: dict[str, list[ScenarioEvent]] = defaultdict(list)
    for e in spec.events:
        by_kind[e.kind].append(e)
    if by_kind["water_burst"]:
        bursts = [
            Burst(e.at_s, burst_point(city, spec, e), e.args["area_m2"], e.args["isolate_after_s"])
            for e in by_kind["water_burst"]
        ]
        run = burst_run(
            city, bursts, _sub_seed(spec.seed, "water"), spec.duration_s, spec.start_hour
        )
        runs.append(TimedRun(0.0, run))
    for e in by_kind["rainstorm"]:
        storm = DesignStorm(
            e.args["return_period_y"], e.args["duration_min"], min(e.args["peak_ratio"], 0.95)
        )
        runs.append(TimedRun(e.at_s, storm_run(city, storm, spec.time_scale)))
    releases: dict[tuple[str, str], list[GasRelease]] = defaultdict(list)
    for e in by_kind["gas_release"]:
        _, compartment = compartment_of(city, e.args["tunnel"], e.args["compartment"])
        releases[(e.args["tunnel"], compartment)].append(
            GasRelease(
                e.at_s * spec.time_scale, e.args["zone"], e.args["rate_m3s"], e.args["duration_s"]
            )
        )
    for (tunnel, compartment), rel in releases.items():
        run = release_run(city, tunnel, compartment, rel, spec.duration_s, spec.time_scale)
        runs.append(TimedRun(0.0, run))
    runs += _bridge_runs(city, spec, by_kind["bridge_traffic"] + by_kind["bridge_overload"])
    for e in by_kind["scenario"]:
        try:
            runs.append(TimedRun(e.at_s, _LIBRARY[e.args["name"]].build(city, e.args["params"])))
        except ScenarioError as exc:
            raise _fail(spec, e, str(exc)) from None
    return CompiledScenario(spec, tuple(sorted(runs, key=lambda r: r.at_s)))


def _bridge_runs(city: City, spec: ScenarioSpec, events: list[ScenarioEvent]) -> list[TimedRun]:
    """One traffic run per bridge named, from its first event to the end of the drill."""
    out = []
    for bridge in sorted({e.args["bridge"] for e in events}):
        mine = [e for e in events if e.args["bridge"] == bridge]
        start = min(e.at_s for e in mine)
        flow = next((e for e in mine if e.kind == "bridge_traffic"), None)
        traffic = (
            Traffic()
            if flow is None
            else Traffic(flow.args["vehicles_per_min"], min(flow.args["truck_share"], 1.0))
        )
        overloads = [
            Overload(
                e.at_s - start,
                e.args["vehicles"],
                e.args["gross_t"],
                e.args["headway_s"],
                e.args["speed_ms"],
            )
            for e in mine
            if e.kind == "bridge_overload"
        ]
        seed = _sub_seed(spec.seed, f"bridge:{bridge}")
        run = traffic_run(city, bridge, seed, spec.duration_s - start, traffic, overloads)
        out.append(TimedRun(start, run))
    return out
