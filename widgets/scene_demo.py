"""A small synthetic district for the scene's tests and render script when no demo city exists.

Deterministic (seeded), about 1.6 x 1.2 km: two utility tunnels, one per pipe domain grid,
a bridge, manholes and valves, and as many sensors as asked for.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from backend_client.city import CITY_FORMAT, City, city_from_dict

TUNNEL_SECTION = [
    ("power", 0.0, 3.2),
    ("gas", 3.2, 5.2),
    ("water_telecom", 5.2, 8.2),
    ("heating", 8.2, 11.0),
]


def _tunnel(tid: str, name: str, centreline: list[list[float]]) -> dict[str, Any]:
    pts = np.asarray(centreline, dtype=float)
    length = float(np.sum(np.linalg.norm(np.diff(pts, axis=0), axis=1)))
    edges = [*list(np.arange(0.0, length, 200.0)), length]
    return {
        "id": tid,
        "name": name,
        "area": "core",
        "centreline": centreline,
        "width": 11.0,
        "height": 3.7,
        "compartments": [
            {"id": f"{tid}-{kind}", "kind": kind, "name": kind, "x0": x0, "x1": x1}
            for kind, x0, x1 in TUNNEL_SECTION
        ],
        "fire_zones": [
            {"id": f"{tid}-Z{i + 1:02d}", "start": float(a), "end": float(b)}
            for i, (a, b) in enumerate(itertools.pairwise(edges))
        ],
    }


def fixture_city_dict(n_extra_sensors: int = 0, seed: int = 7) -> dict[str, Any]:
    """The fixture as a lifeline-city/1 document; extra sensors are scattered along pipes."""
    rng = np.random.default_rng(seed)
    tunnels = [
        _tunnel(
            "T1",
            "Changjiang Rd tunnel",
            [[0, 300, -9], [700, 300, -9.5], [1100, 520, -10], [1500, 560, -10]],
        ),
        _tunnel("T2", "Huizhou Ave tunnel", [[400, -200, -8], [420, 300, -9], [450, 900, -8.5]]),
    ]
    pipelines: list[dict[str, Any]] = []
    specs = [
        ("gas", 0.3, 1.3, 0),
        ("water", 0.6, 1.8, 40),
        ("drainage", 1.2, 3.8, -40),
        ("heating", 0.5, 2.4, 80),
    ]
    for domain, dia, depth, shift in specs:
        for j, y in enumerate((-100 + shift, 650 + shift)):
            pipelines.append(
                {
                    "id": f"{domain}-ew{j}",
                    "name": f"{domain} main {j}",
                    "domain": domain,
                    "area": "core",
                    "diameter": dia,
                    "depth": depth,
                    "path": [[-100, y], [700, y + 20], [1600, y - 30]],
                }
            )
        pipelines.append(
            {
                "id": f"{domain}-ns",
                "name": f"{domain} riser",
                "domain": domain,
                "area": "core",
                "diameter": dia * 0.7,
                "depth": depth,
                "path": [[900 + shift, -150], [880 + shift, 950]],
            }
        )
    pipelines.append(
        {
            "id": "T1-gas-pipe",
            "name": "gas in tunnel",
            "domain": "gas",
            "area": "core",
            "diameter": 0.5,
            "depth": 8.0,
            "path": [[0, 300 + 1.3], [700, 300 + 1.3]],
            "tunnel": "T1",
            "compartment": "T1-gas",
        }
    )
    nodes: list[dict[str, Any]] = []
    for p in pipelines[:12]:
        kind = "manhole" if p["domain"] in ("drainage", "gas") else "valve"
        for k, (x, y) in enumerate(p["path"]):
            nodes.append(
                {
                    "id": f"{p['id']}-n{k}",
                    "kind": kind,
                    "position": [x, y, 0.0],
                    "pipeline": p["id"],
                }
            )
    bridges = [
        {
            "id": "B1",
            "name": "Nanfei River bridge",
            "area": "core",
            "start": [1150, -120],
            "end": [1350, 60],
            "width": 24.0,
            "deck_height": 12.0,
        }
    ]
    sensors: list[dict[str, Any]] = []

    def add(
        sid: str, domain: str, stype: str, unit: str, pos: list[float], asset: str, **kw: Any
    ) -> None:
        sensors.append(
            {
                "id": sid,
                "name": sid.replace("-", " "),
                "domain": domain,
                "type": stype,
                "unit": unit,
                "position": [float(v) for v in pos],
                "asset": asset,
                "area": "core",
                **kw,
            }
        )

    for t in tunnels:
        pts = np.asarray(t["centreline"], dtype=float)
        seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        chain = np.concatenate([[0.0], np.cumsum(seg)])
        for c in t["compartments"]:
            for k, at in enumerate(np.arange(60.0, chain[-1], 120.0)):
                centre = np.array([np.interp(at, chain, pts[:, i]) for i in range(3)])
                i = min(int(np.searchsorted(chain, at)) - 1, len(seg) - 1)
                d = (pts[i + 1, :2] - pts[i, :2]) / seg[i]
                left = np.array([-d[1], d[0]])
                across = t["width"] / 2 - (c["x0"] + c["x1"]) / 2
                pos = [*(centre[:2] + left * across), centre[2] + 2.6]
                zone = next(z["id"] for z in t["fire_zones"] if z["start"] <= at <= z["end"])
                add(
                    f"{c['id']}-CH4-{k:02d}",
                    "tunnel",
                    "CH4",
                    "%LEL",
                    pos,
                    t["id"],
                    compartment=c["id"],
                    zone=zone,
                )
    for n in nodes:
        x, y, _ = n["position"]
        add(
            f"{n['id']}-S",
            "drainage" if "drainage" in n["pipeline"] else "gas",
            "level",
            "m",
            [x, y, -1.0],
            n["id"],
        )
    add("B1-strain-1", "bridge", "strain", "ue", [1250, -30, 12.0], "B1")
    add("B1-accel-1", "bridge", "accel", "m/s2", [1200, -75, 12.0], "B1")
    for k in range(n_extra_sensors):
        p = pipelines[int(rng.integers(0, 12))]
        path = np.asarray(p["path"], dtype=float)
        a = int(rng.integers(0, len(path) - 1))
        xy = path[a] + (path[a + 1] - path[a]) * rng.random()
        add(f"X{k:05d}", p["domain"], "pressure", "kPa", [xy[0], xy[1], -p["depth"]], p["id"])
    return {
        "format": CITY_FORMAT,
        "name": "Fixture district",
        "areas": [
            {
                "id": "core",
                "name": "Core",
                "polygon": [[-150, -250], [1650, -250], [1650, 980], [-150, 980]],
            }
        ],
        "tunnels": tunnels,
        "pipelines": pipelines,
        "nodes": nodes,
        "bridges": bridges,
        "sensors": sensors,
    }


def fixture_city(n_extra_sensors: int = 0) -> City:
    """The fixture district as a validated City."""
    return city_from_dict(fixture_city_dict(n_extra_sensors), "<fixture>")
