"""Deterministic city generator (lifeline-citygen): the demo district, or N tiled copies of it.

`--scale N` lays N copies of the district on a grid, each with its own id prefix ("D07:") and plan
offset, so ids stay unique and the console can be tried at tens of thousands of channels.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from backend_client.city import CITY_FORMAT
from simulator.district import EXTENT, build_layout
from simulator.district_sensors import build_sensors

DEFAULT_SEED = 20240611
TILE_GAP_M = 800.0
CITY_NAME = "Lifeline demo district"
SECTIONS = ("areas", "tunnels", "pipelines", "nodes", "bridges", "sensors")


def generate_district(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """One district as a lifeline-city/1 document."""
    rng = np.random.default_rng(seed)
    layout = build_layout(rng)
    sensors = build_sensors(layout, rng)
    return {
        "format": CITY_FORMAT,
        "name": CITY_NAME,
        "areas": layout.areas,
        "tunnels": layout.tunnels,
        "pipelines": layout.pipelines,
        "nodes": layout.nodes,
        "bridges": layout.bridges,
        "sensors": sensors,
    }


def generate(scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The city document at a scale: 1 is the demo district, N > 1 tiles N prefixed copies."""
    if scale < 1:
        raise ValueError(f"scale must be >= 1, got {scale}")
    district = generate_district(seed)
    if scale == 1:
        return district
    cols = math.ceil(math.sqrt(scale))
    width = max(2, len(str(scale - 1)))
    doc: dict[str, Any] = {
        "format": CITY_FORMAT,
        "name": f"{CITY_NAME} x{scale}",
        **{key: [] for key in SECTIONS},
    }
    for k in range(scale):
        tag = f"D{k:0{width}d}"
        dx = (k % cols) * (EXTENT[0] + TILE_GAP_M)
        dy = (k // cols) * (EXTENT[1] + TILE_GAP_M)
        for key in SECTIONS:
            move = _TILERS[key](f"{tag}:", tag, dx, dy)
            doc[key].extend(move(item) for item in district[key])
    return doc


Tiler = Callable[[str, str, float, float], Callable[[dict[str, Any]], dict[str, Any]]]


def _ref(prefix: str, value: str) -> str:
    return prefix + value if value else value


def _area(p: str, tag: str, dx: float, dy: float) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def move(a: dict[str, Any]) -> dict[str, Any]:
        polygon = [[x + dx, y + dy] for x, y in a["polygon"]]
        return {"id": p + a["id"], "name": f"{tag} {a['name']}", "polygon": polygon}

    return move


def _tunnel(p: str, tag: str, dx: float, dy: float) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def move(t: dict[str, Any]) -> dict[str, Any]:
        return {
            **t,
            "id": p + t["id"],
            "name": f"{tag} {t['name']}",
            "area": _ref(p, t["area"]),
            "centreline": [[x + dx, y + dy, z] for x, y, z in t["centreline"]],
            "compartments": [{**c, "id": p + c["id"]} for c in t["compartments"]],
            "fire_zones": [{**z, "id": p + z["id"]} for z in t["fire_zones"]],
        }

    return move


def _pipeline(p: str, tag: str, dx: float, dy: float) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def move(q: dict[str, Any]) -> dict[str, Any]:
        out = {**q, "id": p + q["id"], "name": f"{tag} {q['name']}", "area": _ref(p, q["area"])}
        out["path"] = [[x + dx, y + dy] for x, y in q["path"]]
        for key in ("tunnel", "compartment"):
            if key in q:
                out[key] = _ref(p, q[key])
        return out

    return move


def _node(p: str, tag: str, dx: float, dy: float) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def move(n: dict[str, Any]) -> dict[str, Any]:
        x, y, z = n["position"]
        out = {**n, "id": p + n["id"], "position": [x + dx, y + dy, z]}
        if "pipeline" in n:
            out["pipeline"] = _ref(p, n["pipeline"])
        return out

    return move


def _bridge(p: str, tag: str, dx: float, dy: float) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def move(b: dict[str, Any]) -> dict[str, Any]:
        return {
            **b,
            "id": p + b["id"],
            "name": f"{tag} {b['name']}",
            "area": _ref(p, b["area"]),
            "start": [b["start"][0] + dx, b["start"][1] + dy],
            "end": [b["end"][0] + dx, b["end"][1] + dy],
        }

    return move


def _sensor(p: str, tag: str, dx: float, dy: float) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def move(s: dict[str, Any]) -> dict[str, Any]:
        x, y, z = s["position"]
        out = {**s, "id": p + s["id"], "name": f"{tag} {s['name']}", "asset": p + s["asset"]}
        out["position"] = [x + dx, y + dy, z]
        for key in ("area", "compartment", "zone"):
            if key in s:
                out[key] = _ref(p, s[key])
        return out

    return move


_TILERS: dict[str, Tiler] = {
    "areas": _area,
    "tunnels": _tunnel,
    "pipelines": _pipeline,
    "nodes": _node,
    "bridges": _bridge,
    "sensors": _sensor,
}


def dumps_city(doc: dict[str, Any]) -> str:
    """JSON with one list item per line: small, diff-friendly and still readable by hand."""
    lines = ["{"]
    keys = list(doc)
    for i, key in enumerate(keys):
        end = "," if i < len(keys) - 1 else ""
        value = doc[key]
        if isinstance(value, list) and value:
            items = [json.dumps(item, ensure_ascii=False) for item in value]
            lines.append(f"  {json.dumps(key)}: [")
            lines += [f"    {text}," for text in items[:-1]] + [f"    {items[-1]}"]
            lines.append(f"  ]{end}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: lifeline-citygen [--scale N] [--seed S] [-o FILE]."""
    parser = argparse.ArgumentParser(prog="lifeline-citygen", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="number of tiled districts (>= 1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be >= 1")
    text = dumps_city(generate(args.scale, args.seed))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
