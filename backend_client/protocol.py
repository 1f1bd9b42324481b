"""Protocol v1 vocabulary: topics, codes, limits and message types shared by backend and console.

Everything here is documented field by field in docs/protocol.md; change both together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

import numpy as np

PROTOCOL_VERSION = 1

TELEMETRY_PREFIX = b"tel."
ALARM_TOPIC = b"alm"
HEARTBEAT_TOPIC = b"hb"

HEARTBEAT_PERIOD_S = 1.0
STALE_AFTER_S = 3.0
DOWN_AFTER_S = 10.0

MAX_FRAME_BYTES = 16 * 1024 * 1024
MAX_REPLY_BYTES = 64 * 1024 * 1024
MAX_REQUEST_BYTES = 1024 * 1024
MAX_BATCH_SAMPLES = 1_000_000
MAX_STRING_CHARS = 4096
MAX_TOPIC_BYTES = 128

CHANNEL_DTYPE = np.dtype("<u4")
TIME_DTYPE = np.dtype("<i8")
VALUE_DTYPE = np.dtype("<f4")
QUALITY_DTYPE = np.dtype("u1")


class Quality(IntEnum):
    """Per-sample quality, after the HJ 212 flags; anything but GOOD is drawn apart from values."""

    GOOD = 0  # N: normal
    OVER_RANGE = 1  # T: beyond the instrument's range
    FAULT = 2  # D: device fault
    MAINTENANCE = 3  # M
    CALIBRATION = 4  # C
    STOPPED = 5  # F
    POWER_FAILURE = 6  # P
    MISSING = 7  # no reading this period (value is NaN)


class Level(IntEnum):
    """Chinese emergency warning grades; I is the most severe."""

    NONE = 0
    I = 1  # noqa: E741 - the grade's official name
    II = 2
    III = 3
    IV = 4


LEVEL_COLOURS = {
    Level.I: "#d7191c",  # red
    Level.II: "#f28e2b",  # orange
    Level.III: "#f2d024",  # yellow
    Level.IV: "#2c7bb6",  # blue
}


class AlarmState(StrEnum):
    """ISA-18.2 alarm states as carried on the wire."""

    NORMAL = "normal"
    UNACK = "unack"
    ACKED = "acked"
    RTN_UNACK = "rtn_unack"
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"
    OUT_OF_SERVICE = "oos"


class Op(StrEnum):
    """Request operations answered on the ROUTER socket."""

    HELLO = "hello"
    CITY = "city"
    ALARMS = "alarms"
    ACK = "ack"
    SHELVE = "shelve"
    HISTORY = "history"
    SCENARIOS = "scenarios"
    SCENARIO = "scenario"


class LinkState(StrEnum):
    """What the console shows of its backend link."""

    CONNECTING = "connecting"
    LIVE = "live"
    STALE = "stale"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class TelemetryBatch:
    """Many samples in packed arrays; decoding is zero-copy via numpy.frombuffer."""

    topic: str
    seq: int
    channels: np.ndarray  # uint32 channel index into the hello catalog
    times_us: np.ndarray  # int64 microseconds since the Unix epoch, UTC
    values: np.ndarray  # float32 in the channel's unit; NaN when missing
    quality: np.ndarray  # uint8 Quality codes

    def __len__(self) -> int:
        return int(self.channels.shape[0])


@dataclass(frozen=True, slots=True)
class AlarmRecord:
    """One alarm's full state; every alarm message carries the whole record, never a delta."""

    id: str
    channel: int
    sensor: str
    level: int
    state: AlarmState
    active: bool
    value: float
    limit: float
    raised_us: int
    changed_us: int
    text: str = ""
    ack_user: str | None = None
    ack_comment: str | None = None
    ack_us: int | None = None
    shelved_until_us: int | None = None


@dataclass(frozen=True, slots=True)
class AlarmChange:
    """An alarm's new state with the alarm stream's sequence number."""

    seq: int
    alarm: AlarmRecord


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """Sent every HEARTBEAT_PERIOD_S; its alarm_seq lets a client see a lost last alarm message."""

    time_us: int
    instance: str
    alarm_seq: int
    period_ms: int


@dataclass(frozen=True, slots=True)
class Request:
    """A client request; user, role and host travel with every request for the backend to check."""

    id: str
    op: str
    args: dict[str, Any] = field(default_factory=dict)
    user: str = ""
    role: str = ""
    host: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to one Request, matched by id."""

    id: str
    ok: bool
    result: Any = None
    error: str | None = None


Message = TelemetryBatch | AlarmChange | Heartbeat
