"""Methane in a tunnel's gas compartment: well-mixed fire zones, exchange, ventilation on alarm.

Each fire zone of the compartment is one well-mixed volume (zone length x compartment width x
tunnel height). Methane enters from a release, leaves with the zone's ventilation air and moves
to the neighbouring zones by a fixed exchange flow (leakage past the fire doors, longitudinal
draught). Ventilation runs at 2 air changes an hour; when a zone reaches the alarm limit the
zone and the two beside it switch to the accident rate of 6 an hour, and at the emergency limit
the gas main's shut-off valve closes and the releases stop (docs/domain facts; the rates and
limits are settings). The model is integrated ahead in NumPy, vectorised over zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backend_client.city import City, Tunnel
from simulator.physics.table_run import TableRun
from simulator.scenario_run import ScenarioError

LEL_VOL_FRACTION = 0.05  # methane's lower explosive limit is 5 %vol
O2_IN_AIR = 20.9
TABLE_STEP_S = 5.0  # model seconds between table rows


@dataclass(frozen=True, slots=True)
class GasSettings:
    """Ventilation and limits of a gas compartment (defaults from the domain reference)."""

    normal_ach: float = 2.0  # air changes an hour
    accident_ach: float = 6.0
    exchange_m3s: float = 1.0  # between neighbouring zones
    alarm_lel: float | None = None  # None: the CH4 detectors' level II limit, else 20 %LEL
    shutoff_lel: float = 25.0
    step_s: float = 1.0


@dataclass(frozen=True, slots=True)
class GasRelease:
    """Methane (m3/s at ambient conditions) entering one fire zone from at_s for a while."""

    at_s: float
    zone: str
    rate_m3s: float = 0.08
    duration_s: float | None = None  # None: until the emergency shut-off


@dataclass(frozen=True, slots=True)
class GasHistory:
    """What the compartment did: concentration (%LEL) and accident ventilation per zone."""

    times_s: np.ndarray  # (k,)
    lel: np.ndarray  # (k, z)
    accident: np.ndarray  # (k, z) bool
    zones: tuple[str, ...]
    shutoff_s: float | None  # model time the shut-off valve closed


def compartment_of(city: City, tunnel_id: str, compartment_id: str) -> tuple[Tunnel, str]:
    """The tunnel and its gas compartment; ScenarioError naming what is missing."""
    for t in city.tunnels:
        if t.id != tunnel_id:
            continue
        gas = [c for c in t.compartments if c.kind == "gas"]
        chosen = [c for c in gas if c.id == compartment_id] if compartment_id else gas[:1]
        if not chosen:
            raise ScenarioError(
                f"gas: tunnel {tunnel_id} has no gas compartment {compartment_id!r}"
            )
        if not t.fire_zones:
            raise ScenarioError(f"gas: tunnel {tunnel_id} has no fire zones")
        return t, chosen[0].id
    raise ScenarioError(f"gas: no tunnel {tunnel_id!r}")


def simulate(
    volumes_m3: np.ndarray,
    sources: Sequence[tuple[int, float, float, float]],
    settings: GasSettings,
    alarm_lel: float,
    horizon_s: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """Integrate zone methane volumes; sources are (zone index, start, stop, m3/s)."""
    s = settings
    n = volumes_m3.shape[0]
    dt = s.step_s
    steps = int(np.ceil(horizon_s / dt))
    every = max(1, round(TABLE_STEP_S / dt))
    methane = np.zeros(n)
    accident = np.zeros(n, dtype=bool)
    shutoff: float | None = None
    src_zone = np.array([z for z, *_ in sources], dtype=np.intp)
    src_on = np.array([a for _, a, _, _ in sources], dtype=float)
    src_off = np.array([b for _, _, b, _ in sources], dtype=float)
    src_rate = np.array([r for *_, r in sources], dtype=float)
    times, lel, vent = [], [], []
    for k in range(steps + 1):
        t = k * dt
        frac = methane / volumes_m3
        if k % every == 0 or k == steps:
            times.append(t)
            lel.append(frac / LEL_VOL_FRACTION * 100.0)
            vent.append(accident.copy())
        alarmed = np.flatnonzero(frac / LEL_VOL_FRACTION * 100.0 >= alarm_lel)
        if alarmed.size:  # the zone and the two beside it; latched until the crew resets it
            near = np.clip(alarmed[:, None] + np.array([-1, 0, 1]), 0, n - 1).ravel()
            accident[near] = True
        if shutoff is None and np.any(frac / LEL_VOL_FRACTION * 100.0 >= s.shutoff_lel):
            shutoff = t
        stop = src_off if shutoff is None else np.minimum(src_off, shutoff)
        inflow = np.zeros(n)
        live = (t >= src_on) & (t < stop)
        np.add.at(inflow, src_zone[live], src_rate[live])
        ach = np.where(accident, s.accident_ach, s.normal_ach) / 3600.0
        flux = s.exchange_m3s * np.diff(frac)  # from zone i+1 into zone i when positive
        exchange = np.zeros(n)
        exchange[:-1] += flux
        exchange[1:] -= flux
        methane = np.maximum(methane + dt * (inflow - ach * methane + exchange), 0.0)
    return np.array(times), np.array(lel), np.array(vent), shutoff


def release_history(
    city: City,
    tunnel_id: str,
    compartment_id: str,
    releases: Sequence[GasRelease],
    horizon_s: float,
    settings: GasSettings | None = None,
) -> GasHistory:
    """Run the zone model of one gas compartment for the releases."""
    s = settings or GasSettings()
    tunnel, compartment = compartment_of(city, tunnel_id, compartment_id)
    comp = next(c for c in tunnel.compartments if c.id == compartment)
    zones = sorted(tunnel.fire_zones, key=lambda z: z.start)
    order = {z.id: k for k, z in enumerate(zones)}
    volumes = np.array([(z.end - z.start) * (comp.x1 - comp.x0) * tunnel.height for z in zones])
    sources = []
    for r in releases:
        if r.zone not in order:
            raise ScenarioError(f"gas: tunnel {tunnel_id} has no fire zone {r.zone!r}")
        stop = np.inf if r.duration_s is None else r.at_s + r.duration_s
        sources.append((order[r.zone], r.at_s, stop, r.rate_m3s))
    alarm = s.alarm_lel if s.alarm_lel is not None else _detector_alarm(city, compartment)
    times, lel, vent, shutoff = simulate(volumes, sources, s, alarm, horizon_s)
    return GasHistory(times, lel, vent, tuple(z.id for z in zones), shutoff)


def _detector_alarm(city: City, compartment: str) -> float:
    """The level II limit of the compartment's methane detectors (20 %LEL when none is set)."""
    for sensor in city.sensors:
        if sensor.compartment == compartment and sensor.type == "CH4":
            level_two = sensor.limits.high[1]
            if level_two is not None:
                return float(level_two)
    return 20.0


def release_run(
    city: City,
    tunnel_id: str,
    compartment_id: str,
    releases: Sequence[GasRelease],
    horizon_s: float,
    time_scale: float = 1.0,
    settings: GasSettings | None = None,
) -> TableRun:
    """Offsets at the compartment's CH4 (%LEL) and O2 (%vol) sensors, time compressed."""
    if time_scale <= 0:
        raise ScenarioError("gas: time_scale must be > 0")
    h = release_history(city, tunnel_id, compartment_id, releases, horizon_s * time_scale, settings)
    _, compartment = compartment_of(city, tunnel_id, compartment_id)
    zone_index = {z: k for k, z in enumerate(h.zones)}
    channels, cols = [], []
    for i, sensor in enumerate(city.sensors):
        if sensor.compartment != compartment or sensor.zone not in zone_index:
            continue
        lel = h.lel[:, zone_index[sensor.zone]]
        if sensor.type == "CH4" and sensor.unit == "%LEL":
            channels.append(i)
            cols.append(lel)
        elif sensor.type == "O2" and sensor.unit == "%vol":
            channels.append(i)
            cols.append(-O2_IN_AIR * lel / 100.0 * LEL_VOL_FRACTION)
    if not channels:
        raise ScenarioError(f"gas: compartment {compartment} has no CH4 or O2 detectors")
    table = np.stack(cols, axis=1)
    table[-1] = 0.0
    zones = ", ".join(r.zone for r in releases)
    return TableRun(
        "gas-release",
        f"methane release in {zones} (zone model)",
        np.asarray(channels, dtype=np.intp),
        h.times_s / time_scale,
        table,
        float(h.times_s[-1] / time_scale),
    )
