"""The city's water pipes as a hydraulic graph: junctions, pipes, a source, and where sensors sit.

The city model draws pipelines as plan polylines; a hydraulic model needs junctions where pipes
meet. Path vertices closer than `snap_m` are merged into one junction (street mains meet within a
few metres in the generator's output), long segments are split so no pipe exceeds
`max_segment_m`, and anything not connected to the source is left out. Everything here is
derived deterministically from the geometry (docs/scenarios.md, "Water").
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from backend_client.city import City
from simulator.scenario_run import ScenarioError

SOURCE = "SOURCE"
SOURCE_LINK = "SOURCE-MAIN"


@dataclass(frozen=True, slots=True)
class WaterGeometry:
    """How the city's water pipes become a graph."""

    snap_m: float = 30.0  # path vertices closer than this are one junction
    max_segment_m: float = 150.0  # longer segments are split (bursts and sensors snap to ends)


@dataclass(frozen=True, slots=True)
class PipeSegment:
    """One hydraulic pipe between two junctions, part of a city pipeline."""

    name: str
    start: str
    end: str
    length_m: float
    diameter_m: float
    pipeline: str


@dataclass(frozen=True, slots=True)
class WaterGraph:
    """Junctions (name, plan position, elevation), pipes and the source junction."""

    names: tuple[str, ...]
    xy: np.ndarray  # (j, 2)
    elevation_m: np.ndarray  # (j,) the pipe axis: z = -depth, ground is 0
    pipes: tuple[PipeSegment, ...]
    source: str  # the junction the reservoir feeds

    def nearest(self, xy: tuple[float, float] | np.ndarray) -> str:
        """The junction closest in plan to a point."""
        d = np.hypot(*(self.xy - np.asarray(xy, dtype=float)[:2]).T)
        return self.names[int(np.argmin(d))]

    def distance_m(self, name: str, xy: np.ndarray) -> np.ndarray:
        """Plan distance from a junction to each of some points."""
        at = self.xy[self.names.index(name)]
        return np.hypot(*(np.asarray(xy, dtype=float)[:, :2] - at).T)


def _split(path: np.ndarray, max_len: float) -> np.ndarray:
    """The path with extra vertices so no segment is longer than max_len."""
    out = [path[0]]
    for a, b in pairwise(path):
        parts = max(1, int(np.ceil(np.hypot(*(b - a)) / max_len)))
        out.extend(a + (b - a) * (k / parts) for k in range(1, parts + 1))
    return np.array(out)


def build_graph(city: City, geometry: WaterGeometry | None = None) -> WaterGraph:
    """The water network of a city as junctions and pipes; raises ScenarioError if it has none."""
    g = geometry or WaterGeometry()
    pipelines = [p for p in city.pipelines if p.domain == "water"]
    if not pipelines:
        raise ScenarioError("water: the city has no water pipelines")
    xy: list[np.ndarray] = []
    elev: list[float] = []
    pipes: list[PipeSegment] = []

    def junction(point: np.ndarray, z: float) -> int:
        if xy:
            d = np.hypot(*(np.array(xy) - point).T)
            k = int(np.argmin(d))
            if d[k] <= g.snap_m:
                return k
        xy.append(point)
        elev.append(z)
        return len(xy) - 1

    for p in pipelines:
        path = _split(np.asarray(p.path, dtype=float)[:, :2], g.max_segment_m)
        ids = [junction(v, -p.depth) for v in path]
        for k, (a, b) in enumerate(pairwise(ids)):
            if a == b:
                continue
            length = max(1.0, float(np.hypot(*(xy[a] - xy[b]))))
            pipes.append(PipeSegment(f"{p.id}#{k}", f"J{a}", f"J{b}", length, p.diameter, p.id))
    main = max(pipelines, key=lambda p: p.diameter)  # the first of the largest mains
    source = int(np.argmin(np.hypot(*(np.array(xy) - np.asarray(main.path[0])[:2]).T)))
    keep = _connected(len(xy), pipes, source)
    names = tuple(f"J{k}" for k in range(len(xy)) if k in keep)
    index = [k for k in range(len(xy)) if k in keep]
    kept_pipes = tuple(q for q in pipes if int(q.start[1:]) in keep)
    return WaterGraph(names, np.array(xy)[index], np.array(elev)[index], kept_pipes, f"J{source}")


def _connected(n: int, pipes: list[PipeSegment], source: int) -> set[int]:
    """Junctions reachable from the source."""
    adjacent: dict[int, list[int]] = {k: [] for k in range(n)}
    for q in pipes:
        a, b = int(q.start[1:]), int(q.end[1:])
        adjacent[a].append(b)
        adjacent[b].append(a)
    seen, todo = {source}, [source]
    while todo:
        for m in adjacent[todo.pop()]:
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def segment_of(graph: WaterGraph, pipeline: str, xy: np.ndarray) -> PipeSegment | None:
    """The pipe of a pipeline whose midpoint is nearest a point (where a flow meter sits)."""
    index = {name: k for k, name in enumerate(graph.names)}
    best, best_d = None, np.inf
    for q in graph.pipes:
        if q.pipeline != pipeline:
            continue
        mid = (graph.xy[index[q.start]] + graph.xy[index[q.end]]) / 2
        d = float(np.hypot(*(mid - xy[:2])))
        if d < best_d:
            best, best_d = q, d
    return best
