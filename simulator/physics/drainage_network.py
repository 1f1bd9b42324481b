"""The city's sewers as an EPA SWMM input file: manholes, conduits, outfalls, subcatchments, rain.

Manholes and outfalls are the city's drainage nodes (their position is the invert, so a manhole
is -z metres deep and its rim is at ground level); conduits join consecutive nodes of a pipeline
in the listed (flow) order; a pipeline that ends without an outfall drains into the nearest node
of a pipeline listed after it (laterals before trunks, docs/city-model.md section 7). Every
manhole collects a subcatchment whose area is the sewer length it serves times a fixed
catchment width. What the city model lacks is derived from this geometry (docs/scenarios.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from backend_client.city import City, Node
from simulator.scenario_run import ScenarioError

GAGE = "RG1"
STORM = "STORM"


@dataclass(frozen=True, slots=True)
class DrainageSettings:
    """Hydrological assumptions the city model does not carry."""

    catchment_width_m: float = 150.0  # area drained per metre of sewer
    impervious_pct: float = 65.0
    slope_pct: float = 0.5
    roughness_n: float = 0.013  # Manning's n of the conduits
    ponded_area_m2: float = 2000.0  # street area a flooded manhole spreads over
    routing_step_s: float = 5.0


@dataclass(frozen=True, slots=True)
class SewerNode:
    """A manhole or outfall as SWMM sees it."""

    id: str
    kind: str  # "manhole" or "outfall"
    xy: tuple[float, float]
    invert_m: float
    max_depth_m: float
    catchment_m2: float


@dataclass(frozen=True, slots=True)
class SewerNetwork:
    """The nodes and conduits (id, from, to, length, diameter) of a city's drainage."""

    nodes: tuple[SewerNode, ...]
    conduits: tuple[tuple[str, str, str, float, float], ...]


def build_network(city: City, settings: DrainageSettings | None = None) -> SewerNetwork:
    """Nodes and conduits of the city's drainage pipelines; ScenarioError when there are none."""
    s = settings or DrainageSettings()
    order = [p for p in city.pipelines if p.domain == "drainage"]
    rank = {p.id: k for k, p in enumerate(order)}
    along: dict[str, list[Node]] = {p.id: [] for p in order}
    for n in city.nodes:
        if n.pipeline in along and n.kind in ("manhole", "outfall"):
            along[n.pipeline].append(n)
    if not any(along.values()):
        raise ScenarioError("drainage: the city has no manholes on drainage pipelines")
    served: dict[str, float] = {}
    conduits: list[tuple[str, str, str, float, float]] = []
    diameters = {p.id: p.diameter for p in order}
    for p in order:
        nodes = along[p.id]
        for a, b in pairwise(nodes):
            conduits.append(_conduit(a, b, diameters[p.id]))
        if nodes and nodes[-1].kind != "outfall":
            end = np.asarray(p.path[-1], dtype=float)[:2]
            later = [n for q in order[rank[p.id] + 1 :] for n in along[q.id]]
            if later:
                target = min(
                    later, key=lambda n: float(np.hypot(*(np.array(n.position[:2]) - end)))
                )
                conduits.append(_conduit(nodes[-1], target, diameters[p.id]))
    for _, a, b, length, _ in conduits:
        served[a] = served.get(a, 0.0) + length / 2
        served[b] = served.get(b, 0.0) + length / 2
    used = {c[1] for c in conduits} | {c[2] for c in conduits}
    nodes_out = tuple(
        SewerNode(
            n.id,
            n.kind,
            (n.position[0], n.position[1]),
            n.position[2],
            max(0.5, -n.position[2]),
            served.get(n.id, 0.0) * s.catchment_width_m if n.kind == "manhole" else 0.0,
        )
        for p in order
        for n in along[p.id]
        if n.id in used
    )
    return SewerNetwork(nodes_out, tuple(conduits))


def _conduit(a: Node, b: Node, diameter: float) -> tuple[str, str, str, float, float]:
    length = max(5.0, float(np.hypot(a.position[0] - b.position[0], a.position[1] - b.position[1])))
    return (f"C:{a.id}>{b.id}", a.id, b.id, length, diameter)


def write_inp(
    net: SewerNetwork,
    rain_mmh: Sequence[float],
    rain_step_s: int,
    duration_s: int,
    settings: DrainageSettings | None = None,
) -> str:
    """The SWMM 5 input file text: dynamic-wave routing, ponding allowed, one rain gage."""
    s = settings or DrainageSettings()
    hh = lambda t: f"{int(t) // 3600}:{int(t) % 3600 // 60:02d}:{int(t) % 60:02d}"  # noqa: E731
    lines = [
        "[TITLE]",
        "lifeline-sim drainage scenario",
        "[OPTIONS]",
        "FLOW_UNITS CMS",
        "INFILTRATION HORTON",
        "FLOW_ROUTING DYNWAVE",
        "ALLOW_PONDING YES",
        "START_DATE 01/01/2020",
        "START_TIME 00:00:00",
        "END_DATE 01/01/2020",
        f"END_TIME {hh(duration_s)}" if duration_s < 86400 else "END_TIME 23:59:59",
        "REPORT_STEP 00:01:00",
        "WET_STEP 00:00:30",
        "DRY_STEP 00:05:00",
        f"ROUTING_STEP {s.routing_step_s:g}",
        "INERTIAL_DAMPING PARTIAL",
        "NORMAL_FLOW_LIMITED BOTH",
        "[RAINGAGES]",
        f"{GAGE} INTENSITY {hh(rain_step_s)} 1.0 TIMESERIES {STORM}",
        "[SUBCATCHMENTS]",
    ]
    for n in net.nodes:
        if n.catchment_m2 > 0:
            ha = n.catchment_m2 / 1e4
            width = np.sqrt(n.catchment_m2)
            shape = f"{s.impervious_pct:g} {width:.1f} {s.slope_pct:g} 0"
            lines.append(f"S:{n.id} {GAGE} {n.id} {ha:.4f} {shape}")
    lines.append("[SUBAREAS]")
    lines += [f"S:{n.id} 0.015 0.25 1.5 5 25 OUTLET" for n in net.nodes if n.catchment_m2 > 0]
    lines.append("[INFILTRATION]")
    lines += [f"S:{n.id} 75 5 4 7 0" for n in net.nodes if n.catchment_m2 > 0]
    lines.append("[JUNCTIONS]")
    lines += [
        f"{n.id} {n.invert_m:.3f} {n.max_depth_m:.3f} 0 0 {s.ponded_area_m2:g}"
        for n in net.nodes
        if n.kind != "outfall"
    ]
    lines.append("[OUTFALLS]")
    lines += [f"{n.id} {n.invert_m:.3f} FREE NO" for n in net.nodes if n.kind == "outfall"]
    lines.append("[CONDUITS]")
    lines += [
        f"{c} {a} {b} {length:.1f} {s.roughness_n:g} 0 0" for c, a, b, length, _ in net.conduits
    ]
    lines.append("[XSECTIONS]")
    lines += [f"{c} CIRCULAR {d:g} 0 0 0 1" for c, _, _, _, d in net.conduits]
    lines.append("[TIMESERIES]")
    lines += [f"{STORM} {hh(k * rain_step_s)} {v:.3f}" for k, v in enumerate(rain_mmh)]
    lines.append(f"{STORM} {hh(len(rain_mmh) * rain_step_s)} 0")
    lines.append("[COORDINATES]")
    lines += [f"{n.id} {n.xy[0]:.2f} {n.xy[1]:.2f}" for n in net.nodes]
    return "\n".join(lines) + "\n"
