"""Sensors for a generated district: tunnel gas/environment kits per fire zone, network and bridge
instruments, each with its unit, rate and level I..IV limits written into the city file as data.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from simulator import geometry
from simulator.district import COMPARTMENTS, Layout, area_of

NONE4: tuple[float | None, ...] = (None, None, None, None)


class Kind(NamedTuple):
    """Defaults for one (domain, type): unit, sample rate, limits and a label for names."""

    unit: str
    rate_hz: float
    high: tuple[float | None, ...]
    low: tuple[float | None, ...]
    deadband: float
    label: str


KINDS: dict[tuple[str, str], Kind] = {
    ("tunnel", "CH4"): Kind("%LEL", 1.0, (25, 20, 10, 5), NONE4, 1.0, "methane"),
    ("tunnel", "O2"): Kind(
        "%vol", 1.0, (23.5, 23.0, 22.5, None), (18, 19, 19.5, None), 0.2, "oxygen"
    ),
    ("tunnel", "H2S"): Kind("ppm", 1.0, (20, 10, 6, 3), NONE4, 0.5, "hydrogen sulphide"),
    ("tunnel", "TEMP"): Kind("degC", 0.2, (60, 50, 40, 35), NONE4, 1.0, "temperature"),
    ("tunnel", "HUM"): Kind("%RH", 0.2, (98, 95, 90, 85), NONE4, 2.0, "humidity"),
    ("tunnel", "SUMP"): Kind("m", 0.2, (1.2, 1.0, 0.8, 0.6), NONE4, 0.05, "sump level"),
    ("gas", "PRESS"): Kind("kPa", 1.0, (450, 420, 400, 380), (150, 200, 230, 250), 5.0, "pressure"),
    ("gas", "CH4"): Kind("%vol", 0.2, (2.5, 1.5, 1.0, 0.5), NONE4, 0.1, "methane in manhole"),
    ("water", "PRESS"): Kind(
        "MPa", 1.0, (0.70, 0.65, 0.60, 0.55), (0.10, 0.14, 0.18, 0.22), 0.01, "pressure"
    ),
    ("water", "FLOW"): Kind("m3/h", 1.0, (400, 320, 260, 220), NONE4, 10.0, "flow"),
    ("drainage", "LEVEL"): Kind("m", 0.2, NONE4, NONE4, 0.05, "manhole level"),
    ("drainage", "RAIN"): Kind("mm/h", 0.2, (70, 50, 30, 16), NONE4, 1.0, "rainfall"),
    ("drainage", "POND"): Kind("cm", 0.2, (40, 25, 10, 3), NONE4, 1.0, "ponding depth"),
    ("heating", "TEMP"): Kind(
        "degC", 0.2, (130, 120, 115, 110), (50, 60, 65, 70), 1.0, "supply temperature"
    ),
    ("heating", "PRESS"): Kind(
        "MPa", 0.2, (1.6, 1.4, 1.3, 1.2), (0.3, 0.4, 0.5, 0.6), 0.02, "supply pressure"
    ),
    ("bridge", "STRAIN"): Kind(
        "microstrain", 1.0, (400, 320, 260, 200), (-300, -250, -200, -150), 5.0, "strain"
    ),
    ("bridge", "DEFL"): Kind("mm", 1.0, (60, 45, 35, 25), NONE4, 1.0, "deflection"),
    # Vibration is signed and oscillates: limits sit above ordinary traffic and overload bursts
    # so a sine does not chatter through them; strain and deflection carry the overload alarms.
    ("bridge", "ACCEL"): Kind(
        "m/s2", 10.0, (1.5, 1.0, 0.7, 0.5), (-1.5, -1.0, -0.7, -0.5), 0.05, "acceleration"
    ),
}
SYSTEM_CODES = {"gas": "GS", "water": "WS", "drainage": "DR", "heating": "HT", "bridge": "BR"}
# (compartment code, type, fraction along the zone, height above the floor in metres)
TUNNEL_KIT = (
    ("GAS", "CH4", 0.50, 3.3),  # methane is lighter than air: near the ceiling
    ("GAS", "O2", 0.55, 1.5),
    ("GAS", "TEMP", 0.45, 2.5),
    ("GAS", "HUM", 0.40, 2.5),
    ("PWR", "TEMP", 0.50, 2.8),
    ("PWR", "O2", 0.55, 1.5),
    ("WT", "H2S", 0.50, 0.4),  # hydrogen sulphide is heavier than air: near the floor
    ("WT", "HUM", 0.45, 2.5),
    ("HT", "TEMP", 0.50, 2.8),
)


def _limits(kind: Kind) -> dict[str, Any]:
    return {"high": list(kind.high), "low": list(kind.low), "deadband": kind.deadband}


class _Sensors:
    """Collects sensor dicts in channel order."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(
        self,
        ident: str,
        name: str,
        domain: str,
        type_: str,
        xyz: Any,
        asset: str,
        limits: dict[str, Any] | None = None,
        **extra: str,
    ) -> None:
        kind = KINDS[(domain, type_)]
        self.items.append(
            {
                "id": ident,
                "name": name,
                "domain": domain,
                "type": type_,
                "unit": kind.unit,
                "position": [round(float(v), 2) for v in xyz],
                "asset": asset,
                "area": area_of(float(xyz[0]), float(xyz[1])),
                **extra,
                "rate_hz": kind.rate_hz,
                "limits": limits or _limits(kind),
            }
        )

    def network(self, domain: str, type_: str, asset: dict[str, Any], xyz: Any, n: int = 1) -> None:
        label = KINDS[(domain, type_)].label
        ident = f"{SYSTEM_CODES[domain]}/{asset['id']}/{type_}/{n:02d}"
        name = f"{label.capitalize()}, {asset.get('name') or asset['id']}"
        self.add(ident, name, domain, type_, xyz, asset["id"])


def build_sensors(layout: Layout, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Every sensor of the district, tunnels first, then networks, then bridges."""
    out = _Sensors()
    _tunnel_sensors(out, layout)
    _pressurised(out, layout)
    _drainage(out, layout, rng)
    _bridge_sensors(out, layout)
    return out.items


def _tunnel_sensors(out: _Sensors, layout: Layout) -> None:
    across = {code: (x0 + x1) / 2 for code, _, _, x0, x1 in COMPARTMENTS}
    for t in layout.tunnels:
        tid = t["id"]
        for k, zone in enumerate(t["fire_zones"]):
            kit = list(TUNNEL_KIT)
            if k % 2 == 0:
                kit.append(("WT", "SUMP", 0.9, 0.0))
            zone_code = zone["id"].rsplit("/", 1)[-1]
            for code, type_, frac, up in kit:
                s = zone["start"] + frac * (zone["end"] - zone["start"])
                xyz = geometry.section_point(t["centreline"], t["width"], s, across[code], up)
                label = KINDS[("tunnel", type_)].label
                out.add(
                    f"{tid}/{code}/{zone_code}/{type_}/01",
                    f"{tid} {code} {zone_code} {label}",
                    "tunnel",
                    type_,
                    xyz,
                    tid,
                    compartment=f"{tid}/{code}",
                    zone=zone["id"],
                )


def _along(pipe: dict[str, Any], frac: float) -> list[float]:
    xy = geometry.point_at(pipe["path"], frac * geometry.length(pipe["path"]))
    return [float(xy[0]), float(xy[1]), -float(pipe["depth"])]


def _pressurised(out: _Sensors, layout: Layout) -> None:
    for valve in layout.valves.get("gas", [])[::2]:
        pipe = next(p for p in layout.street_pipes["gas"] if p["id"] == valve["pipeline"])
        out.network("gas", "PRESS", pipe, valve["position"])
    for pipe in layout.tunnel_pipes.get("gas", []):
        for n, frac in enumerate((0.1, 0.35, 0.6, 0.85)):
            out.network("gas", "PRESS", pipe, _along(pipe, frac), n + 1)
    for manhole in layout.gas_manholes:
        out.network("gas", "CH4", manhole, manhole["position"])
    water = layout.street_pipes.get("water", [])
    for valve in layout.valves.get("water", [])[::2]:
        pipe = next(p for p in water if p["id"] == valve["pipeline"])
        out.network("water", "PRESS", pipe, valve["position"])
    for pipe in water[::4]:
        out.network("water", "FLOW", pipe, _along(pipe, 0.1))
    for pipe in layout.tunnel_pipes.get("water", []):
        out.network("water", "FLOW", pipe, _along(pipe, 0.05))
        for n, frac in enumerate((0.2, 0.5, 0.8)):
            out.network("water", "PRESS", pipe, _along(pipe, frac), n + 1)
    heating = layout.street_pipes.get("heating", [])[::2] + layout.tunnel_pipes.get("heating", [])
    for pipe in heating:
        out.network("heating", "TEMP", pipe, _along(pipe, 0.5))
        out.network("heating", "PRESS", pipe, _along(pipe, 0.55))


def _drainage(out: _Sensors, layout: Layout, rng: np.random.Generator) -> None:
    kind = KINDS[("drainage", "LEVEL")]
    chosen: list[dict[str, Any]] = []
    for n, (_, manholes) in enumerate(layout.drains):
        trunk = len(manholes) > 12
        if trunk:
            picks = np.linspace(3, len(manholes) - 3, 4).round().astype(int)
        else:
            picks = np.array([len(manholes) // 2]) if n % 2 == 0 else np.array([], dtype=int)
        chosen += [manholes[i] for i in picks]
    for manhole in chosen:
        depth = -float(manhole["position"][2])
        high = [round(f * depth, 2) for f in (0.9, 0.75, 0.6, 0.45)]
        limits = {"high": high, "low": [None] * 4, "deadband": kind.deadband}
        ident = f"DR/{manhole['id']}/LEVEL/01"
        name = f"Manhole level, {manhole['id']}"
        out.add(ident, name, "drainage", "LEVEL", manhole["position"], manhole["id"], limits)
    trunks = [pipe for pipe, manholes in layout.drains if len(manholes) > 12]
    for area in layout.areas:
        (x0, y0), (x1, y1) = area["polygon"][0], area["polygon"][2]
        centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        pipe = min(trunks, key=lambda p: abs(p["path"][0][1] - centre[1]))
        ident = f"DR/{pipe['id']}/RAIN/{int(area['id'][1:]):02d}"
        name = f"Rain gauge, {area['name']}"
        out.add(ident, name, "drainage", "RAIN", [*centre, 12.0], pipe["id"])
    all_manholes = [m for _, manholes in layout.drains for m in manholes]
    mxy = np.array([m["position"][:2] for m in all_manholes])
    junctions = layout.junctions.reshape(-1, 2)
    for k in np.sort(rng.choice(len(junctions), size=8, replace=False)):
        xy = junctions[k]
        manhole = all_manholes[int(np.argmin(np.hypot(*(mxy - xy).T)))]
        ident = f"DR/{manhole['id']}/POND/01"
        name = f"Ponding depth near {manhole['id']}"
        out.add(ident, name, "drainage", "POND", [*xy, 0.0], manhole["id"])


def _bridge_sensors(out: _Sensors, layout: Layout) -> None:
    for b in layout.bridges:
        start, end = np.array(b["start"]), np.array(b["end"])
        axis = (end - start) / np.linalg.norm(end - start)
        side = np.array([-axis[1], axis[0]]) * b["width"] / 4
        z = b["deck_height"] - 1.2
        placements = {
            "STRAIN": [(f, g) for f in (0.25, 0.5, 0.75) for g in (1.0, -1.0)],
            "DEFL": [(f, 0.0) for f in (0.25, 0.5, 0.75)],
            "ACCEL": [(f, 0.0) for f in (1 / 3, 0.5, 2 / 3)],
        }
        for type_, spots in placements.items():
            for n, (frac, girder) in enumerate(spots):
                xy = start + (end - start) * frac + side * girder
                out.network("bridge", type_, b, [*xy, z], n + 1)
