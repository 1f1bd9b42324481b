"""What the writer records besides samples: alarm changes, snapshots, catalogs, cities, actions."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from backend_client.city import City, Sensor
from backend_client.codec import alarm_from_wire, alarm_to_wire
from backend_client.protocol import AlarmRecord


@dataclass(frozen=True, slots=True)
class AlarmChangeEvent:
    """A change as received; applied is False when the book buffered it or found a gap."""

    seq: int
    alarm: AlarmRecord
    applied: bool


@dataclass(frozen=True, slots=True)
class SnapshotEvent:
    """The whole alarm book right after a snapshot (and the changes it replayed) was applied."""

    time_us: int
    seq: int
    alarms: tuple[AlarmRecord, ...]


@dataclass(frozen=True, slots=True)
class CatalogEvent:
    """A hello catalog: channel i is sensors[i]."""

    time_us: int
    server: str
    sensors: tuple[Sensor, ...]


@dataclass(frozen=True, slots=True)
class CityEvent:
    """The city document the backend sent (replay draws the city it held then)."""

    time_us: int
    city: City


@dataclass(frozen=True, slots=True)
class ActionEvent:
    """One operator action: a closed-loop step seen on a record, or a request this seat sent."""

    time_us: int
    source: str  # "step" or "request"
    op: str
    user: str
    role: str
    host: str
    key: str  # unique: a step seen again (another snapshot, another run) is not recorded twice
    alarm_id: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    ok: bool | None = None
    result: Any = None


Event = AlarmChangeEvent | SnapshotEvent | CatalogEvent | CityEvent | ActionEvent


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def record_to_json(alarm: AlarmRecord) -> str:
    """An alarm record as JSON text of its wire map (portable: no NaN literals)."""
    wire = {k: _finite(v) for k, v in alarm_to_wire(alarm).items()}
    return json.dumps(wire, separators=(",", ":"))


def record_from_json(text: str) -> AlarmRecord:
    """Back from record_to_json, through the codec's strict validation."""
    wire = json.loads(text)
    for key in ("value", "limit"):
        raw = wire.get(key)
        wire[key] = math.nan if raw is None else float(raw)
    return alarm_from_wire(wire, "recorded alarm")


def to_json(value: Any) -> str:
    """Args and results as JSON; anything JSON cannot hold becomes its repr."""
    return json.dumps(value, default=repr, separators=(",", ":"))
