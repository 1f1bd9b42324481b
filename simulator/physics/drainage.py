"""A design rainstorm on the city's sewers, routed by EPA SWMM (pyswmm): levels, surcharge, ponds.

The storm is a Chicago hyetograph built from an intensity-duration-frequency formula of the
Chinese form i = A(1 + C lg P) / (t + b)^n (mm/min); SWMM routes the runoff with the dynamic
wave, and the manhole depths, the ponding above a flooded manhole and the rain intensity become
offsets at the LEVEL, POND and RAIN sensors. Model time runs `time_scale` times faster than the
drill, so a two-hour storm fits in minutes of a training session.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from backend_client.city import City
from simulator.physics.drainage_network import (
    DrainageSettings,
    SewerNetwork,
    build_network,
    write_inp,
)
from simulator.physics.table_run import TableRun
from simulator.scenario_run import ScenarioError

REPORT_S = 60


@dataclass(frozen=True, slots=True)
class DesignStorm:
    """A Chicago design storm: IDF parameters, return period, duration and peak position."""

    return_period_y: float = 5.0
    duration_min: float = 120.0
    peak_ratio: float = 0.4  # where the peak falls within the storm
    a_mm_min: float = 21.56  # IDF formula parameters (a typical eastern-China city)
    c: float = 0.6
    b_min: float = 14.0
    n: float = 0.776

    def intensities(self, step_s: int = 60) -> np.ndarray:
        """Mean intensity (mm/h) of each step of the storm, from the Chicago cumulative curve."""
        a = self.a_mm_min * (1.0 + self.c * np.log10(self.return_period_y))
        total = self.duration_min
        edges = np.arange(0.0, total + 1e-9, step_s / 60.0)
        edges = np.append(edges, total) if edges[-1] < total else edges
        peak = self.peak_ratio * total

        def depth_from_peak(tau: np.ndarray, r: float) -> np.ndarray:
            # Chicago: the depth within tau/r minutes around the peak is the IDF depth of that
            # duration, shared r : (1 - r) between the limbs
            d = tau / r
            return r * a * d / (d + self.b_min) ** self.n

        before = np.clip(peak - edges, 0.0, None)
        after = np.clip(edges - peak, 0.0, None)
        cumulative = np.where(
            edges <= peak,
            depth_from_peak(np.full_like(edges, peak), self.peak_ratio)
            - depth_from_peak(before, self.peak_ratio),
            depth_from_peak(np.full_like(edges, peak), self.peak_ratio)
            + depth_from_peak(after, 1.0 - self.peak_ratio),
        )
        return np.diff(cumulative) / (np.diff(edges) / 60.0)  # mm per step -> mm/h


@dataclass(frozen=True, slots=True)
class StormResult:
    """Depths (m) by node and rain (mm/h) at each report time (s of model time)."""

    times_s: np.ndarray
    depth_m: dict[str, np.ndarray]
    rain_mmh: np.ndarray
    network: SewerNetwork


def route_storm(
    city: City,
    storm: DesignStorm,
    after_rain_s: float = 3600.0,
    settings: DrainageSettings | None = None,
) -> StormResult:
    """Run SWMM on the city's sewers under the storm; depths every minute of model time."""
    from pyswmm import Nodes, Simulation

    net = build_network(city, settings)
    rain = storm.intensities(REPORT_S)
    duration = int(len(rain) * REPORT_S + after_rain_s)
    text = write_inp(net, rain, REPORT_S, duration, settings)
    ids = [n.id for n in net.nodes]
    rows = []
    with tempfile.TemporaryDirectory(prefix="lifeline-swmm-") as tmp:
        inp = Path(tmp) / "storm.inp"
        inp.write_text(text, encoding="ascii")
        with Simulation(str(inp)) as sim:
            nodes = Nodes(sim)
            handles = [nodes[i] for i in ids]
            sim.step_advance(REPORT_S)
            rows.append([0.0] * len(ids))
            for _ in sim:
                rows.append([h.depth for h in handles])
    depth = np.array(rows)
    times = np.arange(depth.shape[0]) * float(REPORT_S)
    rain_at = np.concatenate([[0.0], rain, np.zeros(max(0, len(times) - len(rain) - 1))])
    return StormResult(
        times, {i: depth[:, k] for k, i in enumerate(ids)}, rain_at[: len(times)], net
    )


def storm_run(
    city: City,
    storm: DesignStorm,
    time_scale: float = 10.0,
    settings: DrainageSettings | None = None,
) -> TableRun:
    """Offsets at the city's drainage LEVEL, POND and RAIN sensors over the storm and recession."""
    if time_scale <= 0:
        raise ScenarioError("drainage: time_scale must be > 0")
    result = route_storm(city, storm, settings=settings)
    full = {n.id: n.max_depth_m for n in result.network.nodes}
    channels, cols = [], []
    for i, sensor in enumerate(city.sensors):
        if sensor.domain != "drainage":
            continue
        depth = result.depth_m.get(sensor.asset)
        if sensor.type == "RAIN" and sensor.unit == "mm/h":
            channels.append(i)
            cols.append(result.rain_mmh)
        elif sensor.type == "LEVEL" and depth is not None and sensor.unit == "m":
            channels.append(i)
            cols.append(np.minimum(depth, full[sensor.asset]))
        elif sensor.type == "POND" and depth is not None and sensor.unit == "cm":
            channels.append(i)
            cols.append(np.maximum(depth - full[sensor.asset], 0.0) * 100.0)
    if not channels:
        raise ScenarioError("drainage: the city has no RAIN, LEVEL or POND sensors on its sewers")
    table = np.stack(cols, axis=1)
    table[-1] = 0.0
    times = result.times_s / time_scale
    return TableRun(
        "rainstorm",
        f"{storm.return_period_y:g}-year {storm.duration_min:g}-min design storm (SWMM)",
        np.asarray(channels, dtype=np.intp),
        times,
        table,
        float(times[-1]),
    )
