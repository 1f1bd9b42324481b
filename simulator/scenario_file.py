"""Scenario files (`lifeline-scenario/1`): a drill as timed events, a seed and an exercise flag.

A file is JSON; load_scenario_file validates it field by field and every error names the file,
the field path and the bad value (`burst.json: $.events[1].area_m2: must be > 0, got -1`).
Binding to a city and running the field models is scenario_file_compile's job. The format is
documented in docs/scenarios.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from simulator.scenario_run import ScenarioError

FORMAT = "lifeline-scenario/1"
REQUIRED = object()


class ScenarioFileError(ScenarioError):
    """A scenario file that cannot be read or does not follow the format."""


@dataclass(frozen=True, slots=True)
class Field:
    """One event field: its JSON type, default (REQUIRED if none) and the smallest value allowed."""

    kind: type | tuple[type, ...]
    default: Any = REQUIRED
    minimum: float | None = None
    above: bool = False  # minimum is exclusive


NUM = (int, float)
F = Field
EVENT_FIELDS: Mapping[str, Mapping[str, Field]] = MappingProxyType(
    {
        "water_burst": {
            "near_sensor": F(str, ""),  # where: a sensor id, a node id, or a pipeline + fraction
            "node": F(str, ""),
            "pipeline": F(str, ""),
            "at": F(NUM, 0.5, 0.0),
            "area_m2": F(NUM, 0.02, 0.0, True),
            "isolate_after_s": F(NUM, None, 0.0, True),
        },
        "rainstorm": {
            "return_period_y": F(NUM, 5.0, 0.0, True),
            "duration_min": F(NUM, 120.0, 0.0, True),
            "peak_ratio": F(NUM, 0.4, 0.0, True),
        },
        "gas_release": {
            "tunnel": F(str),
            "compartment": F(str, ""),
            "zone": F(str),
            "rate_m3s": F(NUM, 0.08, 0.0, True),
            "duration_s": F(NUM, None, 0.0, True),
        },
        "bridge_traffic": {
            "bridge": F(str),
            "vehicles_per_min": F(NUM, 12.0, 0.0),
            "truck_share": F(NUM, 0.15, 0.0),
        },
        "bridge_overload": {
            "bridge": F(str),
            "vehicles": F(int, 3, 1.0),
            "gross_t": F(NUM, 60.0, 0.0, True),
            "speed_ms": F(NUM, 6.0, 0.0, True),
            "headway_s": F(NUM, 2.5, 0.0, True),
        },
        "scenario": {  # one of the hand-drawn library scenarios (simulator/scenario_library.py)
            "name": F(str),
            "params": F(dict, None),
        },
    }
)


@dataclass(frozen=True, slots=True)
class ScenarioEvent:
    """Something that happens at_s seconds into the drill; args are its validated fields."""

    at_s: float
    kind: str
    args: Mapping[str, Any]
    path: str  # "$.events[3]", for error messages at bind time


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A validated scenario file."""

    name: str
    title: str
    description: str
    seed: int
    exercise: bool
    duration_s: float
    time_scale: float  # model seconds per drill second for the slow models (rain, gas)
    start_hour: float  # local hour of day the water demand pattern starts at
    events: tuple[ScenarioEvent, ...]
    source: str = field(default="<scenario>", compare=False)


def library_dir() -> Path:
    """The bundled scenario library, resources/scenarios."""
    return Path(str(files("resources") / "scenarios"))


def library_names() -> list[str]:
    """Names of the bundled scenario files (file stems), sorted."""
    return sorted(p.stem for p in library_dir().glob("*.json"))


def library_path(name: str) -> Path | None:
    """The bundled file for a name ('burst-drill' or 'burst-drill.json'), None when absent."""
    stem = name.removesuffix(".json")
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        return None
    path = library_dir() / f"{stem}.json"
    return path if path.is_file() else None


def load_scenario_file(path: str | Path) -> ScenarioSpec:
    """Read and validate a scenario file; ScenarioFileError names the file, field and value."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioFileError(f"{p}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioFileError(f"{p.name}: not valid JSON: {exc}") from None
    return scenario_from_dict(doc, p.name)


def scenario_from_dict(doc: Any, source: str = "<scenario>") -> ScenarioSpec:
    """Validate a parsed scenario document."""
    r = _Reader(source)
    if not isinstance(doc, dict):
        raise r.fail("$", f"must be an object, got {_show(doc)}")
    if doc.get("format") != FORMAT:
        raise r.fail("$.format", f"must be {FORMAT!r}, got {_show(doc.get('format'))}")
    events_raw = r.get(doc, "events", "$", list)
    events = tuple(_event(r, raw, f"$.events[{k}]") for k, raw in enumerate(events_raw))
    duration = r.number(doc, "duration_s", "$", 0.0, above=True)
    late = [e for e in events if e.at_s >= duration]
    if late:
        raise r.fail(
            f"{late[0].path}.at_s", f"must be before duration_s {duration:g}, got {late[0].at_s:g}"
        )
    storms = [e for e in events if e.kind == "rainstorm"]
    if len(storms) > 1:
        raise r.fail(storms[1].path, "only one rainstorm per scenario file")
    seed = r.get(doc, "seed", "$", int)
    if seed < 0:
        raise r.fail("$.seed", f"must be >= 0, got {seed}")
    return ScenarioSpec(
        name=r.get(doc, "name", "$", str),
        title=r.get(doc, "title", "$", str, ""),
        description=r.get(doc, "description", "$", str, ""),
        seed=seed,
        exercise=r.get(doc, "exercise", "$", bool, False),
        duration_s=duration,
        time_scale=r.number(doc, "time_scale", "$", 0.0, above=True, default=1.0),
        start_hour=r.number(doc, "start_hour", "$", 0.0, default=10.0),
        events=tuple(sorted(events, key=lambda e: e.at_s)),
        source=source,
    )


def _event(r: _Reader, raw: Any, path: str) -> ScenarioEvent:
    if not isinstance(raw, dict):
        raise r.fail(path, f"must be an object, got {_show(raw)}")
    kind = r.get(raw, "kind", path, str)
    fields = EVENT_FIELDS.get(kind)
    if fields is None:
        raise r.fail(f"{path}.kind", f"must be one of {', '.join(EVENT_FIELDS)}, got {kind!r}")
    at = r.number(raw, "at_s", path, 0.0)
    unknown = sorted(set(raw) - set(fields) - {"kind", "at_s", "comment"})
    if unknown:
        raise r.fail(
            f"{path}.{unknown[0]}", f"unknown field for {kind} (known: {', '.join(fields)})"
        )
    args: dict[str, Any] = {}
    for name, spec in fields.items():
        if spec.kind is dict or spec.kind is str:
            args[name] = r.get(raw, name, path, spec.kind, spec.default)
        elif spec.kind is int:
            args[name] = r.get(raw, name, path, int, spec.default)
            if spec.minimum is not None and args[name] < spec.minimum:
                raise r.fail(f"{path}.{name}", f"must be >= {spec.minimum:g}, got {args[name]}")
        else:
            args[name] = r.number(raw, name, path, spec.minimum, spec.above, spec.default)
    if kind == "water_burst":
        where = [k for k in ("near_sensor", "node", "pipeline") if args[k]]
        if len(where) != 1:
            raise r.fail(path, "water_burst needs exactly one of near_sensor, node, pipeline")
        if args["at"] > 1:
            raise r.fail(f"{path}.at", f"must be a fraction 0..1 of the pipeline, got {args['at']}")
    return ScenarioEvent(at, kind, MappingProxyType(args), path)


class _Reader:
    """Typed field access whose errors carry the file and the field path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> ScenarioFileError:
        return ScenarioFileError(f"{self.source}: {path}: {message}")

    def get(self, obj: dict, key: str, path: str, kind: type, default: Any = REQUIRED) -> Any:
        if key not in obj:
            if default is REQUIRED:
                raise self.fail(f"{path}.{key}", "is required")
            return default
        value = obj[key]
        bad_bool = isinstance(value, bool) and kind is not bool
        if bad_bool or not isinstance(value, kind):
            raise self.fail(f"{path}.{key}", f"must be {kind.__name__}, got {_show(value)}")
        return value

    def number(
        self,
        obj: dict,
        key: str,
        path: str,
        minimum: float | None,
        above: bool = False,
        default: Any = REQUIRED,
    ) -> Any:
        if key not in obj and default is not REQUIRED:
            return default
        if key not in obj:
            raise self.fail(f"{path}.{key}", "is required")
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, NUM) or not math.isfinite(value):
            raise self.fail(f"{path}.{key}", f"must be a finite number, got {_show(value)}")
        if minimum is not None and (value <= minimum if above else value < minimum):
            raise self.fail(
                f"{path}.{key}", f"must be {'>' if above else '>='} {minimum:g}, got {value}"
            )
        return float(value)


def _show(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
