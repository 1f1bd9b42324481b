"""One plausible lifeline district (format lifeline-city/1) laid out deterministically from a seed.

The district is a 4.2 km x 3 km street grid west of a river: two utility tunnels under the main
avenues, gas, water and heating mains under the streets, a drainage network of laterals and trunks
flowing east to outfalls on the river bank, and two bridges over the river. Sensors are placed on
this layout by simulator.district_sensors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator import geometry

EXTENT = (4200.0, 3000.0)
STREET_XS = (400.0, 1200.0, 2000.0, 2800.0, 3600.0)
STREET_YS = (300.0, 900.0, 1500.0, 2100.0, 2700.0)
BANK_X = 3800.0  # west bank of the river, which runs north-south
RIVER_WIDTH = 160.0
EW_NAMES = ("Changjiang Rd", "Huaihe Rd", "Century Ave", "Wangjiang Rd", "Qianshan Rd")
NS_NAMES = ("Jinzhai Rd", "Suzhou Rd", "Tongcheng Rd", "Huangshan Rd", "Mengcheng Rd")

# Lateral position of each network under its street (positive = left of the direction of travel,
# i.e. north of an eastbound street, west of a northbound one); tunnels run 14 m to the right.
STREET_OFFSETS = {"gas": 5.0, "water": -6.0, "drainage": 0.0, "heating": 10.0}
TUNNEL_OFFSET = -14.0
# Which east-west rows and north-south columns carry each pressurised network.
COVERAGE = {
    "gas": ((1, 3), (1, 3)),
    "water": ((0, 1, 3, 4), (0, 2, 4)),
    "heating": ((0, 4), (1, 3)),
}
OWNERS = {
    "gas": "City Gas Co.",
    "water": "Water Supply Co.",
    "drainage": "Drainage Authority",
    "heating": "District Heating Co.",
    "tunnel": "Utility Tunnel Operations Co.",
    "bridge": "Bridge Maintenance Office",
}
DOMAIN_CODES = {"gas": "G", "water": "W", "drainage": "D", "heating": "H"}
TUNNEL_WIDTH, TUNNEL_HEIGHT = 11.0, 3.7
FIRE_ZONE_M = 200.0
HOIST_SPACING_M = 400.0
MANHOLE_SPACING_M = 90.0
# (code, kind, name, x0, x1) across the 11 m section, from the left wall.
COMPARTMENTS = (
    ("GAS", "gas", "Gas compartment", 0.0, 2.2),
    ("PWR", "power", "Power compartment", 2.4, 5.6),
    ("WT", "water_telecom", "Water and telecom compartment", 5.8, 8.6),
    ("HT", "heating", "Heating compartment", 8.8, 11.0),
)
AREAS = (
    ("A1", "Old Town", (0.0, 0.0, 2000.0, 1500.0)),
    ("A2", "Riverside", (2000.0, 0.0, EXTENT[0], 1500.0)),
    ("A3", "North Gate", (0.0, 1500.0, 2000.0, EXTENT[1])),
    ("A4", "Science Park", (2000.0, 1500.0, EXTENT[0], EXTENT[1])),
)


def area_of(x: float, y: float) -> str:
    """The id of the quadrant area holding a plan point."""
    return f"A{1 + int(x >= 2000.0) + 2 * int(y >= 1500.0)}"


def _r(value: float) -> float:
    return round(float(value), 2)


def _pt(p: Any) -> list[float]:
    return [_r(v) for v in p]


@dataclass
class Layout:
    """The district's assets as city-format dicts, plus the structure sensors are placed on."""

    areas: list[dict[str, Any]] = field(default_factory=list)
    tunnels: list[dict[str, Any]] = field(default_factory=list)
    pipelines: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    bridges: list[dict[str, Any]] = field(default_factory=list)
    street_pipes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tunnel_pipes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    valves: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    gas_manholes: list[dict[str, Any]] = field(default_factory=list)
    drains: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    junctions: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 2)))


class _Builder:
    """Accumulates the layout; ids are numbered per kind in creation order."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.out = Layout()
        self.counts: dict[str, int] = {}
        jitter = rng.uniform(-12.0, 12.0, size=(len(STREET_YS), len(STREET_XS), 2))
        gx, gy = np.meshgrid(STREET_XS, STREET_YS)
        self.out.junctions = np.stack([gx, gy], axis=-1) + jitter

    def next_id(self, prefix: str, width: int = 3) -> str:
        n = self.counts.get(prefix, 0) + 1
        self.counts[prefix] = n
        return f"{prefix}-{n:0{width}d}"

    def ew(self, i: int, to_bank: bool = False) -> np.ndarray:
        path = self.out.junctions[i]
        if to_bank:
            path = np.vstack([path, [BANK_X, path[-1, 1]]])
        return path

    def ns(self, j: int) -> np.ndarray:
        return self.out.junctions[:, j]

    def pipeline(
        self, domain: str, name: str, path: np.ndarray, diameter: float, depth: float, **extra: str
    ) -> dict[str, Any]:
        mid = geometry.point_at(path, geometry.length(path) / 2)
        pipe = {
            "id": self.next_id(f"P-{DOMAIN_CODES[domain]}"),
            "name": name,
            "domain": domain,
            "area": area_of(mid[0], mid[1]),
            "diameter": diameter,
            "depth": _r(depth),
            "path": [_pt(p[:2]) for p in path],
            "owner": OWNERS[domain],
            **extra,
        }
        self.out.pipelines.append(pipe)
        return pipe

    def node(self, prefix: str, kind: str, xyz: Any, pipeline: str = "") -> dict[str, Any]:
        node = {"id": self.next_id(prefix), "kind": kind, "position": _pt(xyz)}
        if pipeline:
            node["pipeline"] = pipeline
        self.out.nodes.append(node)
        return node


def build_layout(rng: np.random.Generator) -> Layout:
    """Lay out one district: areas, tunnels, street networks, drainage, bridges."""
    b = _Builder(rng)
    for ident, name, (x0, y0, x1, y1) in AREAS:
        polygon = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
        b.out.areas.append({"id": ident, "name": name, "polygon": polygon})
    _tunnels(b)
    for domain in ("gas", "water", "heating"):
        _street_network(b, domain)
    _drainage(b)
    _bridges(b)
    return b.out


def _tunnels(b: _Builder) -> None:
    t1 = geometry.offset(b.ew(2), TUNNEL_OFFSET)
    t1 = geometry.cut(t1, 0.0, 3200.0)
    t2 = geometry.offset(np.vstack([b.ns(2)[2:], b.ew(4)[3:]]), TUNNEL_OFFSET)
    start_dir = geometry.direction_at(t2, 0.0)
    t2[0] -= start_dir * (-TUNNEL_OFFSET - TUNNEL_WIDTH / 2)  # start at T1's north wall
    t2 = geometry.cut(t2, 0.0, 2400.0)
    specs = (
        ("T1", "Century Ave utility tunnel", t1, -6.0, -7.0),
        ("T2", "Tongcheng Rd utility tunnel", t2, -6.4, -5.6),
    )
    for tid, name, plan, z0, z1 in specs:
        s = geometry.chainage(plan)
        z = z0 + (z1 - z0) * s / s[-1]
        centreline = np.column_stack([plan, z])
        total = float(s[-1])
        zones = []
        for k, start in enumerate(np.arange(0.0, total - 1.0, FIRE_ZONE_M)):
            end = min(start + FIRE_ZONE_M, total)
            zones.append({"id": f"{tid}/Z{k + 1:02d}", "start": _r(start), "end": _r(end)})
        mid = geometry.point_at(plan, total / 2)
        tunnel = {
            "id": tid,
            "name": name,
            "area": area_of(mid[0], mid[1]),
            "centreline": [_pt(p) for p in centreline],
            "width": TUNNEL_WIDTH,
            "height": TUNNEL_HEIGHT,
            "compartments": [
                {"id": f"{tid}/{code}", "kind": kind, "name": cname, "x0": x0, "x1": x1}
                for code, kind, cname, x0, x1 in COMPARTMENTS
            ],
            "fire_zones": zones,
            "owner": OWNERS["tunnel"],
        }
        b.out.tunnels.append(tunnel)
        for n, s_hoist in enumerate(np.arange(FIRE_ZONE_M, total, HOIST_SPACING_M)):
            xy = geometry.point_at(plan, s_hoist)
            b.out.nodes.append(
                {"id": f"HO-{tid}-{n + 1:02d}", "kind": "hoist_opening", "position": _pt([*xy, 0])}
            )
        _tunnel_pipes(b, tunnel, centreline, float(np.mean(z)))


def _tunnel_pipes(
    b: _Builder, tunnel: dict[str, Any], centreline: np.ndarray, floor: float
) -> None:
    carried = {"gas": ("GAS", 0.4), "water": ("WT", 0.8), "heating": ("HT", 0.6)}
    for domain, (code, diameter) in carried.items():
        comp = next(c for c in tunnel["compartments"] if c["id"].endswith("/" + code))
        across = (comp["x0"] + comp["x1"]) / 2
        path = geometry.offset(centreline[:, :2], TUNNEL_WIDTH / 2 - across)
        pipe = b.pipeline(
            domain,
            f"{domain.capitalize()} main in {tunnel['name']}",
            path,
            diameter,
            -floor - 1.2,
            tunnel=tunnel["id"],
            compartment=comp["id"],
        )
        b.out.tunnel_pipes.setdefault(domain, []).append(pipe)


def _street_network(b: _Builder, domain: str) -> None:
    rows, cols = COVERAGE[domain]
    depth = {"gas": 1.3, "water": 1.6, "heating": 1.8}[domain]
    streets = [(EW_NAMES[i], b.ew(i), i == 2) for i in rows]
    streets += [(NS_NAMES[j], b.ns(j), False) for j in cols]
    pipes = b.out.street_pipes.setdefault(domain, [])
    for street, centre, trunk in streets:
        path = geometry.offset(centre, STREET_OFFSETS[domain])
        for k in range(len(path) - 1):
            diameter = {
                "gas": float(b.rng.choice([0.2, 0.25, 0.3])),
                "water": 0.6 if trunk else float(b.rng.choice([0.3, 0.4, 0.5])),
                "heating": 0.5,
            }[domain]
            seg_depth = depth + float(b.rng.uniform(-0.2, 0.3))
            kind = {"gas": "Gas main", "water": "Water main", "heating": "Heating main"}[domain]
            pipe = b.pipeline(
                domain, f"{kind}, {street} seg {k + 1}", path[k : k + 2], diameter, seg_depth
            )
            pipes.append(pipe)
            if domain in ("gas", "water"):
                valve = b.node(
                    f"V-{DOMAIN_CODES[domain]}", "valve", [*path[k], -seg_depth], pipe["id"]
                )
                b.out.valves.setdefault(domain, []).append(valve)
            if domain == "gas":
                xy = geometry.point_at(path[k : k + 2], 0.4 * geometry.length(path[k : k + 2]))
                b.out.gas_manholes.append(b.node("MH-G", "manhole", [*xy, -1.5], pipe["id"]))


def _drainage(b: _Builder) -> None:
    """Laterals first, then trunks ending in outfalls: nodes come out in network order."""
    for j in (0, 2, 4):
        for i in range(len(STREET_YS) - 1):
            path = b.ns(j)[[i + 1, i]]  # north to south, into trunk i
            name = f"Sewer lateral, {NS_NAMES[j]} ({EW_NAMES[i + 1]} to {EW_NAMES[i]})"
            _sewer(b, name, path, 0.6, (1.8, 2.6), outfall=False)
    for i in range(len(STREET_YS)):
        name = f"Sewer trunk, {EW_NAMES[i]}"
        _sewer(b, name, b.ew(i, to_bank=True), 1.5 if i == 2 else 1.2, (2.0, 4.5), outfall=True)


def _sewer(
    b: _Builder,
    name: str,
    path: np.ndarray,
    diameter: float,
    inverts: tuple[float, float],
    outfall: bool,
) -> None:
    total = geometry.length(path)
    pipe = b.pipeline("drainage", name, path, diameter, float(np.mean(inverts)) - diameter / 2)
    n = max(1, round(total / MANHOLE_SPACING_M))
    chain = np.linspace(0.0, total, n + 1)[:-1]
    manholes = []
    for s in chain:
        invert = inverts[0] + (inverts[1] - inverts[0]) * s / total
        xy = geometry.point_at(path, s)
        manholes.append(b.node("MH-D", "manhole", [*xy, -invert], pipe["id"]))
    if outfall:
        b.node("OF-D", "outfall", [*path[-1], -inverts[1] - 0.1], pipe["id"])
    b.out.drains.append((pipe, manholes))


def _bridges(b: _Builder) -> None:
    specs = (("B1", "Qinghe Bridge", 1, 24.0, 9.5), ("B2", "Jinxiu Bridge", 3, 18.0, 8.0))
    for bid, name, row, width, deck in specs:
        y = float(b.out.junctions[row, -1, 1])
        b.out.bridges.append(
            {
                "id": bid,
                "name": name,
                "area": area_of(BANK_X, y),
                "start": [BANK_X, _r(y)],
                "end": [BANK_X + RIVER_WIDTH, _r(y)],
                "width": width,
                "deck_height": deck,
                "owner": OWNERS["bridge"],
            }
        )
