"""The city model (format lifeline-city/1): typed, validated, shared by backend and console.

Coordinates are local metres: x east, y north, z up (z < 0 is underground). The format is
documented in docs/city-model.md; errors name the file, the field path and the bad value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

CITY_FORMAT = "lifeline-city/1"
DOMAINS = ("gas", "water", "drainage", "heating", "bridge", "tunnel")
PIPE_DOMAINS = ("gas", "water", "drainage", "heating")
COMPARTMENT_KINDS = ("gas", "power", "water_telecom", "heating", "sewage", "combined")
NODE_KINDS = ("manhole", "valve", "outfall", "pump", "hoist_opening")

T = TypeVar("T")


class CityModelError(ValueError):
    """A city model that breaks the format; the message names source, field path and value."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Thresholds per level: index 0 is level I (most severe), 3 is level IV; None = unused."""

    high: tuple[float | None, float | None, float | None, float | None] = (None,) * 4
    low: tuple[float | None, float | None, float | None, float | None] = (None,) * 4
    deadband: float = 0.0


@dataclass(frozen=True, slots=True)
class AlarmConfig:
    """A sensor's alarm overrides; None leaves the backend's default for its (domain, type)."""

    on_delay_s: float | None = None  # the condition must hold this long before it raises
    off_delay_s: float | None = None  # ... and stay clear this long before it clears
    latching: bool | None = None  # hold the alarm annunciated until acknowledged
    guidance: str | None = None  # what to do and whom to call
    responsible: str | None = None  # the unit dispatched to; default: the asset's owner


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str
    polygon: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class Compartment:
    id: str
    kind: str
    name: str
    x0: float  # offset across the section from the left wall, metres
    x1: float


@dataclass(frozen=True, slots=True)
class FireZone:
    id: str
    start: float  # chainage along the centreline, metres
    end: float


@dataclass(frozen=True, slots=True)
class Tunnel:
    id: str
    name: str
    area: str
    centreline: tuple[tuple[float, float, float], ...]  # z = tunnel floor
    width: float
    height: float
    compartments: tuple[Compartment, ...]
    fire_zones: tuple[FireZone, ...]
    owner: str = ""


@dataclass(frozen=True, slots=True)
class Pipeline:
    id: str
    name: str
    domain: str
    area: str
    diameter: float  # metres
    depth: float  # cover depth to the pipe's axis, metres
    path: tuple[tuple[float, float], ...]
    owner: str = ""
    tunnel: str = ""  # set when the pipe runs inside a tunnel compartment
    compartment: str = ""


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: str
    position: tuple[float, float, float]
    pipeline: str = ""


@dataclass(frozen=True, slots=True)
class Bridge:
    id: str
    name: str
    area: str
    start: tuple[float, float]
    end: tuple[float, float]
    width: float
    deck_height: float
    owner: str = ""


@dataclass(frozen=True, slots=True)
class Sensor:
    id: str
    name: str
    domain: str
    type: str
    unit: str
    position: tuple[float, float, float]
    asset: str
    area: str
    limits: Limits = field(default_factory=Limits)
    rate_hz: float = 1.0
    compartment: str = ""
    zone: str = ""
    alarm: AlarmConfig | None = None


@dataclass(frozen=True, slots=True)
class City:
    name: str
    areas: tuple[Area, ...]
    tunnels: tuple[Tunnel, ...]
    pipelines: tuple[Pipeline, ...]
    nodes: tuple[Node, ...]
    bridges: tuple[Bridge, ...]
    sensors: tuple[Sensor, ...]

    def sensor_index(self) -> dict[str, int]:
        """Sensor id to channel number: channels are numbered in sensor order."""
        return {s.id: i for i, s in enumerate(self.sensors)}

    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) over everything drawn."""
        xs: list[float] = []
        ys: list[float] = []
        for t in self.tunnels:
            xs += [p[0] for p in t.centreline]
            ys += [p[1] for p in t.centreline]
        for p in self.pipelines:
            xs += [q[0] for q in p.path]
            ys += [q[1] for q in p.path]
        for b in self.bridges:
            xs += [b.start[0], b.end[0]]
            ys += [b.start[1], b.end[1]]
        xs += [s.position[0] for s in self.sensors]
        ys += [s.position[1] for s in self.sensors]
        if not xs:
            return (0.0, 0.0, 1.0, 1.0)
        return (min(xs), min(ys), max(xs), max(ys))


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    """Walks a parsed JSON document, raising CityModelError with the exact field path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> CityModelError:
        return CityModelError(f"{self.source}: {path}: {message}")

    def get(self, obj: Any, key: str, path: str, kind: type | tuple[type, ...], default: Any = ...):
        if not isinstance(obj, dict):
            raise self.fail(path, f"expected an object, got {_show(obj)}")
        if key not in obj:
            if default is ...:
                raise self.fail(f"{path}.{key}", "required field is missing")
            return default
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if float in kinds and numeric:
            if not _is_finite_number(value):  # NaN, Infinity (Python's json reads both), 1e400
                raise self.fail(f"{path}.{key}", f"expected a finite number, got {_show(value)}")
            value = float(value)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.fail(f"{path}.{key}", f"expected {names}, got {_show(value)}")
        return value

    def positive(self, obj: Any, key: str, path: str, default: Any = ...) -> float:
        value = self.get(obj, key, path, float, default)
        if value <= 0:
            raise self.fail(f"{path}.{key}", f"must be > 0, got {value}")
        return value

    def choice(self, obj: Any, key: str, path: str, options: Iterable[str]) -> str:
        value = self.get(obj, key, path, str)
        options = tuple(options)
        if value not in options:
            raise self.fail(f"{path}.{key}", f"{value!r} is not one of {', '.join(options)}")
        return value

    def point(self, raw: Any, path: str, dims: int) -> tuple[float, ...]:
        ok = isinstance(raw, list) and len(raw) == dims
        ok = ok and all(_is_finite_number(v) for v in raw)
        if not ok:
            raise self.fail(path, f"expected [{', '.join('xyz'[:dims])}] numbers, got {_show(raw)}")
        return tuple(float(v) for v in raw)

    def points(self, obj: Any, key: str, path: str, dims: int, at_least: int) -> tuple:
        raw = self.get(obj, key, path, list)
        if len(raw) < at_least:
            raise self.fail(f"{path}.{key}", f"needs at least {at_least} points, got {len(raw)}")
        return tuple(self.point(p, f"{path}.{key}[{i}]", dims) for i, p in enumerate(raw))

    def items(
        self, doc: Any, key: str, path: str, parse: Callable[[Any, str], T], required: bool = True
    ) -> tuple[T, ...]:
        raw = self.get(doc, key, path, list, ... if required else [])
        out = tuple(parse(item, f"{path}.{key}[{i}]") for i, item in enumerate(raw))
        seen: set[str] = set()
        for i, item in enumerate(out):
            ident = getattr(item, "id", None)
            if ident is not None:
                if ident in seen:
                    raise self.fail(f"{path}.{key}[{i}].id", f"duplicate id {ident!r}")
                seen.add(ident)
        return out


def _is_finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond float range
        return False


def _show(value: Any) -> str:
    try:
        text = json.dumps(value) if not isinstance(value, float) else repr(value)
    except (TypeError, ValueError):  # bytes and other non-JSON values from a msgpack catalog
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _limits(r: _Reader, raw: Any, path: str) -> Limits:
    if raw is None:
        return Limits()

    def side(key: str, descending: bool) -> tuple[float | None, ...]:
        values = r.get(raw, key, path, list, [None] * 4)
        if len(values) != 4:
            raise r.fail(f"{path}.{key}", f"expected 4 entries (levels I..IV), got {len(values)}")
        out: list[float | None] = []
        for i, v in enumerate(values):
            if v is not None and not _is_finite_number(v):
                raise r.fail(
                    f"{path}.{key}[{i}]", f"expected a finite number or null, got {_show(v)}"
                )
            out.append(None if v is None else float(v))
        present = [v for v in out if v is not None]
        ordered = sorted(present, reverse=descending)
        if present != ordered:
            rule = "decrease" if descending else "increase"
            raise r.fail(f"{path}.{key}", f"thresholds must {rule} from level I to IV: {out}")
        return tuple(out)

    return Limits(
        high=side("high", descending=True),  # type: ignore[arg-type]
        low=side("low", descending=False),  # type: ignore[arg-type]
        deadband=float(r.get(raw, "deadband", path, float, 0.0)),
    )


def _alarm_config(r: _Reader, raw: Any, path: str) -> AlarmConfig | None:
    if raw is None:
        return None

    def delay(key: str) -> float | None:
        value = r.get(raw, key, path, float, None)
        if value is not None and value < 0:
            raise r.fail(f"{path}.{key}", f"must be >= 0, got {value}")
        return value

    return AlarmConfig(
        on_delay_s=delay("on_delay_s"),
        off_delay_s=delay("off_delay_s"),
        latching=r.get(raw, "latching", path, bool, None),
        guidance=r.get(raw, "guidance", path, str, None),
        responsible=r.get(raw, "responsible", path, str, None),
    )


def alarm_config_to_dict(config: AlarmConfig) -> dict[str, Any]:
    """The set overrides of an AlarmConfig, as the city format writes them."""
    names = ("on_delay_s", "off_delay_s", "latching", "guidance", "responsible")
    return {n: getattr(config, n) for n in names if getattr(config, n) is not None}


def city_from_dict(doc: Any, source: str = "<city>") -> City:
    """Validate a parsed document into a City."""
    r = _Reader(source)
    fmt = r.get(doc, "format", "$", str)
    if fmt != CITY_FORMAT:
        raise r.fail("$.format", f"expected {CITY_FORMAT!r}, got {fmt!r}")

    def area(raw: Any, p: str) -> Area:
        return Area(
            r.get(raw, "id", p, str), r.get(raw, "name", p, str), r.points(raw, "polygon", p, 2, 3)
        )

    def tunnel(raw: Any, p: str) -> Tunnel:
        width = r.positive(raw, "width", p)

        def compartment(c: Any, cp: str) -> Compartment:
            x0, x1 = r.get(c, "x0", cp, float), r.get(c, "x1", cp, float)
            if not 0 <= x0 < x1 <= width:
                raise r.fail(cp, f"needs 0 <= x0 < x1 <= width ({width}), got {x0}..{x1}")
            return Compartment(
                r.get(c, "id", cp, str),
                r.choice(c, "kind", cp, COMPARTMENT_KINDS),
                r.get(c, "name", cp, str, ""),
                x0,
                x1,
            )

        def zone(z: Any, zp: str) -> FireZone:
            start, end = r.get(z, "start", zp, float), r.get(z, "end", zp, float)
            if not 0 <= start < end:
                raise r.fail(zp, f"needs 0 <= start < end, got {start}..{end}")
            return FireZone(r.get(z, "id", zp, str), start, end)

        return Tunnel(
            id=r.get(raw, "id", p, str),
            name=r.get(raw, "name", p, str),
            area=r.get(raw, "area", p, str, ""),
            centreline=r.points(raw, "centreline", p, 3, 2),  # type: ignore[arg-type]
            width=width,
            height=r.positive(raw, "height", p),
            compartments=r.items(raw, "compartments", p, compartment),
            fire_zones=r.items(raw, "fire_zones", p, zone, required=False),
            owner=r.get(raw, "owner", p, str, ""),
        )

    def pipeline(raw: Any, p: str) -> Pipeline:
        return Pipeline(
            id=r.get(raw, "id", p, str),
            name=r.get(raw, "name", p, str, ""),
            domain=r.choice(raw, "domain", p, PIPE_DOMAINS),
            area=r.get(raw, "area", p, str, ""),
            diameter=r.positive(raw, "diameter", p),
            depth=r.get(raw, "depth", p, float),
            path=r.points(raw, "path", p, 2, 2),  # type: ignore[arg-type]
            owner=r.get(raw, "owner", p, str, ""),
            tunnel=r.get(raw, "tunnel", p, str, ""),
            compartment=r.get(raw, "compartment", p, str, ""),
        )

    def node(raw: Any, p: str) -> Node:
        return Node(
            id=r.get(raw, "id", p, str),
            kind=r.choice(raw, "kind", p, NODE_KINDS),
            position=r.point(r.get(raw, "position", p, list), f"{p}.position", 3),  # type: ignore[arg-type]
            pipeline=r.get(raw, "pipeline", p, str, ""),
        )

    def bridge(raw: Any, p: str) -> Bridge:
        return Bridge(
            id=r.get(raw, "id", p, str),
            name=r.get(raw, "name", p, str),
            area=r.get(raw, "area", p, str, ""),
            start=r.point(r.get(raw, "start", p, list), f"{p}.start", 2),  # type: ignore[arg-type]
            end=r.point(r.get(raw, "end", p, list), f"{p}.end", 2),  # type: ignore[arg-type]
            width=r.positive(raw, "width", p),
            deck_height=r.get(raw, "deck_height", p, float),
            owner=r.get(raw, "owner", p, str, ""),
        )

    city = City(
        name=r.get(doc, "name", "$", str),
        areas=r.items(doc, "areas", "$", area, required=False),
        tunnels=r.items(doc, "tunnels", "$", tunnel, required=False),
        pipelines=r.items(doc, "pipelines", "$", pipeline, required=False),
        nodes=r.items(doc, "nodes", "$", node, required=False),
        bridges=r.items(doc, "bridges", "$", bridge, required=False),
        sensors=_parse_sensors(r, doc),
    )
    _check_references(r, city)
    return city


def _parse_sensors(r: _Reader, doc: Any) -> tuple[Sensor, ...]:
    def sensor(raw: Any, p: str) -> Sensor:
        return Sensor(
            id=r.get(raw, "id", p, str),
            name=r.get(raw, "name", p, str),
            domain=r.choice(raw, "domain", p, DOMAINS),
            type=r.get(raw, "type", p, str),
            unit=r.get(raw, "unit", p, str),
            position=r.point(r.get(raw, "position", p, list), f"{p}.position", 3),  # type: ignore[arg-type]
            asset=r.get(raw, "asset", p, str),
            area=r.get(raw, "area", p, str, ""),
            limits=_limits(r, r.get(raw, "limits", p, dict, None), f"{p}.limits"),
            rate_hz=r.positive(raw, "rate_hz", p, 1.0),
            compartment=r.get(raw, "compartment", p, str, ""),
            zone=r.get(raw, "zone", p, str, ""),
            alarm=_alarm_config(r, r.get(raw, "alarm", p, dict, None), f"{p}.alarm"),
        )

    return r.items(doc, "sensors", "$", sensor)


def _check_references(r: _Reader, city: City) -> None:
    assets = {t.id for t in city.tunnels} | {p.id for p in city.pipelines}
    assets |= {b.id for b in city.bridges} | {n.id for n in city.nodes}
    areas = {a.id for a in city.areas}
    compartments = {c.id for t in city.tunnels for c in t.compartments}
    zones = {z.id for t in city.tunnels for z in t.fire_zones}
    for i, s in enumerate(city.sensors):
        p = f"$.sensors[{i}]"
        if s.asset not in assets:
            raise r.fail(f"{p}.asset", f"{s.asset!r} names no tunnel, pipeline, bridge or node")
        if s.area and areas and s.area not in areas:
            raise r.fail(f"{p}.area", f"{s.area!r} names no area")
        if s.compartment and s.compartment not in compartments:
            raise r.fail(f"{p}.compartment", f"{s.compartment!r} names no compartment")
        if s.zone and s.zone not in zones:
            raise r.fail(f"{p}.zone", f"{s.zone!r} names no fire zone")


def load_city(path: str | Path) -> City:
    """Read and validate a city model file."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CityModelError(f"{path}: not valid JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise CityModelError(f"{path}: not UTF-8 text: {exc}") from None
    return city_from_dict(doc, str(path))


def sensor_to_dict(sensor: Sensor) -> dict[str, Any]:
    """A sensor as the city format writes it; the hello catalog carries these maps."""
    return {
        "id": sensor.id,
        "name": sensor.name,
        "domain": sensor.domain,
        "type": sensor.type,
        "unit": sensor.unit,
        "position": list(sensor.position),
        "asset": sensor.asset,
        "area": sensor.area,
        "compartment": sensor.compartment,
        "zone": sensor.zone,
        "rate_hz": sensor.rate_hz,
        "limits": {
            "high": list(sensor.limits.high),
            "low": list(sensor.limits.low),
            "deadband": sensor.limits.deadband,
        },
    } | ({} if sensor.alarm is None else {"alarm": alarm_config_to_dict(sensor.alarm)})


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


def sensors_from_list(raw: Any, source: str = "catalog") -> tuple[Sensor, ...]:
    """Validate a list of sensor maps (the hello catalog) without the rest of a city."""
    doc = {"format": CITY_FORMAT, "name": source, "sensors": raw}
    r = _Reader(source)
    if not isinstance(raw, list):
        raise r.fail("$.sensors", f"expected a list, got {_show(raw)}")
    return _parse_sensors(r, doc)


def demo_city_path() -> Path:
    """The bundled demo district."""
    return Path(str(files("resources") / "cities" / "demo.json"))
