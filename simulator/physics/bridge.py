"""Bridge response to seeded traffic and an overload convoy: strain, deflection, deck vibration.

The deck is a simply supported beam of the bridge's span. Every vehicle is a moving point load
(weight, lane, speed, entry time drawn from the seed); strain at a gauge follows the bending
moment's influence line, deflection the beam's deflection influence line, both summed over the
vehicles on the span and scaled so a design load in the gauge's lane at midspan reads the design
value. Acceleration is the first bending mode, excited by each vehicle as it enters and leaves
and decaying with the deck's damping; the accelerometers sample it at their own, higher rate
(10 Hz in the demo against 1 Hz for strain and deflection), each sample at its own time.
Offsets are a closed form in time, vectorised over vehicles and channels: any tick is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backend_client.city import Bridge, City
from simulator.scenario_run import ScenarioError


@dataclass(frozen=True, slots=True)
class BridgeSettings:
    """The deck's assumed properties (design values; a real bridge ships its own)."""

    design_load_t: float = 55.0  # a load at midspan that reads design_strain and design_defl
    design_strain_ue: float = 120.0
    design_defl_mm: float = 15.0
    mode_hz: float = 2.3  # first bending mode
    damping: float = 0.02  # ratio of critical
    accel_per_t: float = 0.008  # m/s2 of modal kick per tonne entering or leaving
    lane_share: float = 0.65  # of a lane's load carried by the girder under it


@dataclass(frozen=True, slots=True)
class Traffic:
    """Seeded free-flowing traffic: vehicles per minute, the truck share and speeds."""

    vehicles_per_min: float = 12.0
    truck_share: float = 0.15
    speed_ms: float = 14.0


@dataclass(frozen=True, slots=True)
class Overload:
    """A convoy of heavy vehicles crossing together, starting at at_s."""

    at_s: float
    vehicles: int = 3
    gross_t: float = 50.0
    headway_s: float = 2.5
    speed_ms: float = 6.0


@dataclass(frozen=True, slots=True)
class BridgeRun:
    """Vehicles on one bridge and the gauges they move; offsets(t) is a closed form."""

    name: str
    summary: str
    channels: np.ndarray
    duration_s: float
    kind: np.ndarray  # 0 strain, 1 deflection, 2 acceleration, per channel
    s: np.ndarray  # gauge position along the span, 0..1
    side: np.ndarray  # +1 / -1: which girder (the lane 0 side is +1)
    enter_s: np.ndarray  # per vehicle
    weight_t: np.ndarray
    speed_ms: np.ndarray
    lane: np.ndarray  # 0 or 1
    span_m: float
    settings: BridgeSettings

    def offsets(self, elapsed_s: float) -> np.ndarray:
        """Offset of each channel at elapsed_s seconds after the start."""
        b = self.settings
        t = float(elapsed_s)
        a = (t - self.enter_s) * self.speed_ms / self.span_m  # vehicle position, 0..1 on span
        on = (a > 0) & (a < 1)
        share = np.where(
            (self.lane[None, :] == 0) == (self.side[:, None] > 0), b.lane_share, 1 - b.lane_share
        )  # (channels, vehicles)
        x, p = self.s[:, None], np.clip(a, 0, 1)[None, :]
        moment = np.where(p <= x, p * (1 - x), x * (1 - p))  # influence line, unit span
        bx = np.where(p <= x, 1 - x, x)
        pa = np.where(p <= x, p, 1 - p)
        defl = pa * bx * (1 - pa**2 - bx**2)  # point-load deflection shape, unit span
        load = np.where(on, self.weight_t, 0.0)[None, :] / b.design_load_t
        strain = (moment / 0.25 * load * share / b.lane_share).sum(axis=1) * b.design_strain_ue
        deflection = (defl / 0.125 * load).sum(axis=1) * b.design_defl_mm
        accel = self._modal(t) * np.sin(np.pi * self.s)
        return np.select([self.kind == 0, self.kind == 1], [strain, deflection], accel)

    def _modal(self, t: float) -> float:
        """First-mode acceleration: a damped ring-down after each vehicle enters and leaves."""
        b = self.settings
        w = 2 * np.pi * b.mode_hz
        events = np.concatenate([self.enter_s, self.enter_s + self.span_m / self.speed_ms])
        kicks = np.concatenate([self.weight_t, -self.weight_t]) * b.accel_per_t
        since = t - events
        live = since >= 0
        ring = kicks[live] * np.exp(-b.damping * w * since[live]) * np.sin(w * since[live])
        return float(ring.sum())


def traffic_run(
    city: City,
    bridge_id: str,
    seed: int,
    duration_s: float,
    traffic: Traffic | None = None,
    overloads: Sequence[Overload] = (),
    settings: BridgeSettings | None = None,
) -> BridgeRun:
    """Seeded traffic (and overload convoys) on one bridge, bound to its gauges."""
    bridge = next((b for b in city.bridges if b.id == bridge_id), None)
    if bridge is None:
        raise ScenarioError(f"bridge: no bridge {bridge_id!r}")
    tr = traffic or Traffic()
    rng = np.random.default_rng(seed)
    span = float(np.hypot(*(np.subtract(bridge.end, bridge.start))))
    count = rng.poisson(tr.vehicles_per_min * duration_s / 60.0)
    enter = np.sort(rng.uniform(-span / tr.speed_ms, duration_s, count))
    truck = rng.random(count) < tr.truck_share
    weight = np.where(truck, rng.uniform(12.0, 40.0, count), rng.uniform(1.2, 2.5, count))
    speed = tr.speed_ms * rng.uniform(0.8, 1.2, count)
    lane = rng.integers(0, 2, count)
    for o in overloads:
        k = np.arange(o.vehicles)
        enter = np.concatenate([enter, o.at_s + k * o.headway_s])
        weight = np.concatenate([weight, np.full(o.vehicles, o.gross_t)])
        speed = np.concatenate([speed, np.full(o.vehicles, o.speed_ms)])
        lane = np.concatenate([lane, k % 2])
    channels, kind, s, side = _gauges(city, bridge)
    label = f"traffic on {bridge_id}" + (
        f" with {len(overloads)} overload convoy(s)" if overloads else ""
    )
    return BridgeRun(
        "bridge-traffic",
        label,
        channels,
        float(duration_s),
        kind,
        s,
        side,
        enter,
        weight,
        speed,
        lane,
        span,
        settings or BridgeSettings(),
    )


def _gauges(city: City, bridge: Bridge) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Channels of the bridge's STRAIN, DEFL and ACCEL sensors, their span position and side."""
    codes = {"STRAIN": 0, "DEFL": 1, "ACCEL": 2}
    chans = [i for i, x in enumerate(city.sensors) if x.asset == bridge.id and x.type in codes]
    if not chans:
        raise ScenarioError(f"bridge: {bridge.id} has no STRAIN, DEFL or ACCEL sensors")
    start, end = np.array(bridge.start), np.array(bridge.end)
    axis = end - start
    xy = np.array([city.sensors[i].position[:2] for i in chans])
    s = np.clip(((xy - start) @ axis) / float(axis @ axis), 0.0, 1.0)
    across = (xy - start) @ np.array([-axis[1], axis[0]]) / np.linalg.norm(axis)
    side = np.where(across >= 0, 1.0, -1.0)
    kind = np.array([codes[city.sensors[i].type] for i in chans])
    return np.asarray(chans, dtype=np.intp), kind, s, side
