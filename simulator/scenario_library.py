"""The scripted incidents: gas leak, water main burst, drainage overflow, bridge overload.

Each builder turns a city and parameters into a ScenarioRun from geometry alone (fire-zone order,
distance to a burst, order of manholes along a sewer, position along a bridge). Times are
compressed so a drill fits in a few minutes.
"""

from __future__ import annotations

import numpy as np

from backend_client.city import City, Tunnel
from simulator import geometry
from simulator.scenario_run import (
    ParamValue,
    Scenario,
    ScenarioError,
    ScenarioRun,
    make_run,
    num,
    positions,
    sensors_where,
    text,
)

LEL_TO_VOL = 5.0 / 100.0  # methane's LEL is 5 %vol
O2_IN_AIR = 20.9


def _gas_tunnel(city: City, wanted: str, zone: str) -> tuple[Tunnel, set[str]]:
    """The tunnel to leak in (the one named, else the one holding the zone, else the first)."""
    for t in city.tunnels:
        gas = {c.id for c in t.compartments if c.kind == "gas"}
        holds_zone = not zone or any(z.id == zone for z in t.fire_zones)
        if gas and t.fire_zones and (t.id == wanted or (not wanted and holds_zone)):
            return t, gas
    where = f"{wanted!r}" if wanted else f"holding zone {zone!r}" if zone else ""
    raise ScenarioError(f"gas-leak: no tunnel {where} with a gas compartment and fire zones")


def gas_leak(city: City, p: dict[str, ParamValue]) -> ScenarioRun:
    """Methane builds up in one fire zone of a gas compartment, spreads, then is ventilated away."""
    tunnel, gas = _gas_tunnel(city, text(p, "tunnel"), text(p, "zone"))
    zones = sorted(tunnel.fire_zones, key=lambda z: z.start)
    order = {z.id: k for k, z in enumerate(zones)}
    source = text(p, "zone") or zones[len(zones) // 2].id
    if source not in order:
        raise ScenarioError(f"gas-leak: tunnel {tunnel.id} has no fire zone {source!r}")
    reach = int(num(p, "reach_zones"))
    chans = sensors_where(
        city,
        lambda s: (
            s.compartment in gas
            and s.zone in order
            and s.type in ("CH4", "O2")
            and abs(order[s.zone] - order[source]) <= reach
        ),
    )
    hops = np.array([abs(order[city.sensors[i].zone] - order[source]) for i in chans], dtype=float)
    lel = num(p, "peak_lel") * num(p, "spread_factor") ** hops
    is_o2 = np.array([city.sensors[i].type == "O2" for i in chans])
    amp = np.where(is_o2, -O2_IN_AIR * lel * LEL_TO_VOL / 100.0, lel)
    vent, clear = num(p, "vent_after_s"), num(p, "clear_tau_s")
    return make_run(
        "gas-leak",
        f"methane leak in {source}",
        chans,
        vent + 6 * clear,
        amp=amp,
        delay=hops * num(p, "spread_delay_s"),
        rise_tau=num(p, "rise_tau_s") * (1 + 0.3 * hops),
        off_s=vent,
        fall_tau=clear,
    )


def water_main_burst(city: City, p: dict[str, ParamValue]) -> ScenarioRun:
    """Pressure falls and flow rises around a burst, strongest near it; isolation ends it."""
    pipes = {q.id: q for q in city.pipelines if q.domain == "water"}
    wanted = text(p, "pipeline")
    if wanted and wanted not in pipes:
        raise ScenarioError(f"water-main-burst: no water pipeline {wanted!r}")
    if not wanted:
        metered = {s.asset for s in city.sensors if s.domain == "water" and s.type == "FLOW"}
        candidates = [q for q in pipes.values() if q.id in metered and not q.tunnel]
        candidates = candidates or list(pipes.values())
        if not candidates:
            raise ScenarioError("water-main-burst: the city has no water pipelines")
        wanted = max(candidates, key=lambda q: q.diameter).id
    path = pipes[wanted].path
    burst = geometry.point_at(path, num(p, "at") * geometry.length(path))
    chans = sensors_where(city, lambda s: s.domain == "water" and s.type in ("PRESS", "FLOW"))
    dist = np.hypot(*(positions(city, chans)[:, :2] - burst[:2]).T)
    near = np.exp(-dist / num(p, "decay_m"))
    is_flow = np.array([city.sensors[i].type == "FLOW" for i in chans])
    amp = np.where(is_flow, num(p, "flow_rise_m3h") * near, -num(p, "drop_mpa") * near)
    isolate, recover = num(p, "isolate_after_s"), num(p, "recover_tau_s")
    return make_run(
        "water-main-burst",
        f"water main burst on {wanted}",
        chans,
        isolate + 6 * recover,
        amp=amp,
        delay=dist / 1000.0,  # a pressure wave travels about 1 km/s in a water main
        rise_tau=1.5,
        off_s=isolate,
        fall_tau=recover,
        osc_amp=np.where(is_flow, 0.0, 0.3 * amp),  # water hammer
        osc_hz=0.5,
        osc_tau=4.0,
    )


def drainage_overflow(city: City, p: dict[str, ParamValue]) -> ScenarioRun:
    """A rainstorm: gauges rise, manholes fill upstream first along each sewer, streets pond."""
    rng = np.random.default_rng(int(num(p, "seed")))
    nodes = {n.id: n for n in city.nodes}
    pipes = {q.id for q in city.pipelines if q.domain == "drainage"}
    along: dict[str, list[str]] = {}
    for n in city.nodes:  # drainage nodes are listed upstream -> outfall within each pipeline
        if n.pipeline in pipes and n.kind == "manhole":
            along.setdefault(n.pipeline, []).append(n.id)
    rank = {nid: k / max(1, len(ids) - 1) for ids in along.values() for k, nid in enumerate(ids)}
    rain_s, spread = num(p, "rain_s"), num(p, "spread_s")
    rain = sensors_where(city, lambda s: s.domain == "drainage" and s.type == "RAIN")
    level = sensors_where(city, lambda s: s.domain == "drainage" and s.type == "LEVEL")
    pond = sensors_where(city, lambda s: s.domain == "drainage" and s.type == "POND")
    xs = positions(city, rain)[:, 0]
    front = (xs - xs.min()) / max(1.0, float(np.ptp(xs))) * 10.0 if len(rain) else xs
    frac = np.array([rank.get(city.sensors[i].asset, 0.5) for i in level])
    depth = np.array(
        [
            -nodes[city.sensors[i].asset].position[2]
            if city.sensors[i].asset in nodes
            else -city.sensors[i].position[2]
            for i in level
        ]
    )
    depth = np.where(depth > 0.5, depth, 3.0)
    n_rain, n_level, n_pond = len(rain), len(level), len(pond)
    level_delay = 20.0 + frac * spread
    pond_delay = 60.0 + rng.uniform(0.0, spread, n_pond)

    def cat(a: object, b: object, c: object) -> np.ndarray:
        return np.concatenate(
            [
                np.broadcast_to(np.asarray(x, dtype=float), (k,))
                for x, k in zip((a, b, c), (n_rain, n_level, n_pond), strict=True)
            ]
        )

    return make_run(
        "drainage-overflow",
        "rainstorm overloading the drainage network",
        rain + level + pond,
        rain_s + spread + 6 * 150.0,
        amp=cat(
            num(p, "rain_mmh") * rng.uniform(0.8, 1.2, n_rain),
            num(p, "fill_frac") * depth * rng.uniform(0.75, 1.1, n_level),
            num(p, "ponding_cm") * rng.uniform(0.5, 1.3, n_pond),
        ),
        delay=cat(front, level_delay, pond_delay),
        rise_tau=cat(15.0, 30.0, 40.0),
        off_s=cat(rain_s, rain_s + level_delay, rain_s + pond_delay),
        fall_tau=cat(30.0, 120.0, 150.0),
    )


def bridge_overload(city: City, p: dict[str, ParamValue]) -> ScenarioRun:
    """A heavy convoy on one bridge: strain and deflection peak at midspan, the deck vibrates."""
    bridges = {b.id: b for b in city.bridges}
    wanted = text(p, "bridge") or (city.bridges[0].id if city.bridges else "")
    if wanted not in bridges:
        raise ScenarioError(f"bridge-overload: no bridge {wanted!r}")
    b = bridges[wanted]
    chans = sensors_where(
        city, lambda s: s.asset == wanted and s.type in ("STRAIN", "DEFL", "ACCEL")
    )
    start, end = np.array(b.start), np.array(b.end)
    span = end - start
    xy = positions(city, chans)[:, :2]
    s = np.clip(((xy - start) @ span) / max(float(span @ span), 1e-9), 0.0, 1.0)
    shape = np.sin(np.pi * s)
    kinds = [city.sensors[i].type for i in chans]
    load = num(p, "load")
    peak = {"STRAIN": num(p, "strain_ue"), "DEFL": num(p, "deflection_mm"), "ACCEL": 0.0}
    amp = np.array([peak[k] for k in kinds]) * shape * load
    is_accel = np.array([k == "ACCEL" for k in kinds])
    osc = np.where(is_accel, num(p, "accel_ms2") * shape * load, 0.12 * amp)  # vehicles passing
    hold = num(p, "hold_s")
    return make_run(
        "bridge-overload",
        f"overload on {wanted}",
        chans,
        hold + 6 * 8.0,
        amp=amp,
        rise_tau=num(p, "ramp_s") / 3.0,
        off_s=hold,
        fall_tau=8.0,
        osc_amp=osc,
        osc_hz=np.where(is_accel, 2.3, 0.1),  # deck's first bending mode; axle groups
    )


LIBRARY: tuple[Scenario, ...] = (
    Scenario(
        "gas-leak",
        "Gas leak in a utility tunnel",
        "Methane rises in one fire zone of a tunnel's gas compartment (past level I within "
        "seconds), spreads to the neighbouring zones with lower peaks, then accident "
        "ventilation clears it over a few minutes.",
        {
            "tunnel": "",
            "zone": "",
            "peak_lel": 45.0,
            "rise_tau_s": 7.5,
            "spread_factor": 0.55,
            "spread_delay_s": 10.0,
            "reach_zones": 2.0,
            "vent_after_s": 60.0,
            "clear_tau_s": 40.0,
        },
        gas_leak,
    ),
    Scenario(
        "water-main-burst",
        "Water main burst",
        "A main bursts: pressure drops sharply at the nearest sensors and less further away, "
        "flow meters nearby read high, until the section is isolated and pressure recovers.",
        {
            "pipeline": "",
            "at": 0.25,
            "drop_mpa": 0.28,
            "flow_rise_m3h": 250.0,
            "decay_m": 800.0,
            "isolate_after_s": 240.0,
            "recover_tau_s": 30.0,
        },
        water_main_burst,
    ),
    Scenario(
        "drainage-overflow",
        "Rainstorm and drainage overflow",
        "Heavy rain sweeps the district: rain gauges climb, manhole levels rise along each "
        "sewer from upstream to the outfall, streets pond, and everything recedes after the rain.",
        {
            "rain_mmh": 80.0,
            "rain_s": 240.0,
            "spread_s": 90.0,
            "fill_frac": 0.85,
            "ponding_cm": 30.0,
            "seed": 1.0,
        },
        drainage_overflow,
    ),
    Scenario(
        "bridge-overload",
        "Bridge overload",
        "A heavy convoy crosses a bridge: strain and deflection climb towards their design "
        "limits at midspan and the deck vibrates, until the load leaves the span.",
        {
            "bridge": "",
            "load": 1.0,
            "strain_ue": 290.0,
            "deflection_mm": 36.0,
            "accel_ms2": 0.4,
            "ramp_s": 10.0,
            "hold_s": 60.0,
        },
        bridge_overload,
    ),
)
