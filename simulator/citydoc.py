"""A City back into its lifeline-city/1 document: what the server sends for the `city` request."""

from __future__ import annotations

from typing import Any

from backend_client.city import CITY_FORMAT, City, sensor_to_dict


def city_to_dict(city: City) -> dict[str, Any]:
    """The JSON-compatible document that city_from_dict() would read back as this city."""
    return {
        "format": CITY_FORMAT,
        "name": city.name,
        "areas": [
            {"id": a.id, "name": a.name, "polygon": [list(p) for p in a.polygon]}
            for a in city.areas
        ],
        "tunnels": [
            {
                "id": t.id,
                "name": t.name,
                "area": t.area,
                "centreline": [list(p) for p in t.centreline],
                "width": t.width,
                "height": t.height,
                "compartments": [
                    {"id": c.id, "kind": c.kind, "name": c.name, "x0": c.x0, "x1": c.x1}
                    for c in t.compartments
                ],
                "fire_zones": [{"id": z.id, "start": z.start, "end": z.end} for z in t.fire_zones],
                "owner": t.owner,
            }
            for t in city.tunnels
        ],
        "pipelines": [
            {
                "id": p.id,
                "name": p.name,
                "domain": p.domain,
                "area": p.area,
                "diameter": p.diameter,
                "depth": p.depth,
                "path": [list(q) for q in p.path],
                "owner": p.owner,
                "tunnel": p.tunnel,
                "compartment": p.compartment,
            }
            for p in city.pipelines
        ],
        "nodes": [
            {"id": n.id, "kind": n.kind, "position": list(n.position), "pipeline": n.pipeline}
            for n in city.nodes
        ],
        "bridges": [
            {
                "id": b.id,
                "name": b.name,
                "area": b.area,
                "start": list(b.start),
                "end": list(b.end),
                "width": b.width,
                "deck_height": b.deck_height,
                "owner": b.owner,
            }
            for b in city.bridges
        ],
        "sensors": [sensor_to_dict(s) for s in city.sensors],
    }
