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
STALE_AFTER_S = 2.5  # 2.5 heartbeat periods: a dead backend shows stale within 3 s
DOWN_AFTER_S = 10.0

MAX_FRAME_BYTES = 16 * 1024 * 1024
MAX_REPLY_BYTES = 64 * 1024 * 1024
MAX_REQUEST_BYTES = 1024 * 1024
MAX_BATCH_SAMPLES = 1_000_000
MAX_STRING_CHARS = 4096
MAX_TOPIC_BYTES = 128

CHATTER_ACTIVATIONS = 3  # ISA-18.2 / EEMUA 191: this many activations of one alarm ...
CHATTER_WINDOW_S = 60.0  # ... within this window is chattering
FLOOD_ALARMS = 10  # more than this many new alarms ...
FLOOD_WINDOW_S = 600.0  # ... within this window is a flood

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


# The documented default (the dark theme's); the console's widgets take theirs from the theme.
LEVEL_COLOURS = {
    Level.I: "#d7191c",  # red
    Level.II: "#e6861d",  # orange
    Level.III: "#fed92d",  # yellow
    Level.IV: "#276da0",  # blue
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
    UNSHELVE = "unshelve"
    SUPPRESS = "suppress"
    OUT_OF_SERVICE = "out_of_service"
    VERIFY = "verify"
    DISPATCH = "dispatch"
    FEEDBACK = "feedback"
    CLOSE = "close"
    POLICY = "policy"
    EXPORT = "export"
    LOGIN = "login"  # with user accounts: user + password -> a session token
    LOGOUT = "logout"


class Role(StrEnum):
    """Console roles the backend's policy knows; any other role may only read."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"
    ADMIN = "admin"
    WALL = "wall"


class LoopStage(StrEnum):
    """How far an alarm's closed loop has gone: ack, verify, dispatch, feedback, close."""

    NONE = ""
    ACKED = "acked"
    VERIFIED = "verified"
    DISPATCHED = "dispatched"
    FEEDBACK = "feedback"
    CLOSED = "closed"


OPEN_LOOP_STAGES = frozenset(
    {LoopStage.ACKED, LoopStage.VERIFIED, LoopStage.DISPATCHED, LoopStage.FEEDBACK}
)
MAX_RECORD_STEPS = 64  # steps carried on one record; the backend's archive keeps all of them


class LinkState(StrEnum):
    """What the console shows of its backend link."""

    CONNECTING = "connecting"
    LIVE = "live"
    STALE = "stale"
    DOWN = "down"
    REPLAY = "replay"  # a recording feeds the model, not a backend


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
class AlarmStep:
    """One operator action on an alarm: who (user, role, console host), when, what and why."""

    action: str  # an Op value: ack, shelve, unshelve, suppress, out_of_service, verify, ...
    user: str
    role: str
    host: str
    time_us: int
    note: str = ""
    detail: str = ""  # verify: "real"/"false"; dispatch: the unit; shelve: minutes; on/off


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
    guidance: str = ""  # what to do and whom to call, from the alarm's configuration
    responsible: str = ""  # the unit a dispatch goes to (gas company, bridge owner, ...)
    latched: bool = False  # held annunciated by latching although the condition cleared
    chattering: bool = False  # 3 or more activations within 60 s
    loop: LoopStage = LoopStage.NONE
    verdict: str | None = None  # "real" or "false" once verified
    steps: tuple[AlarmStep, ...] = ()  # this occurrence's operator actions, oldest first
    exercise: bool = False  # raised while a drill (EXERCISE scenario) drove the sensor


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
    flood: bool = False  # more than FLOOD_ALARMS new alarms within FLOOD_WINDOW_S
    alarm_rate: int = 0  # new alarms within the last FLOOD_WINDOW_S


@dataclass(frozen=True, slots=True)
class Request:
    """A client request; user, role and host travel with every request for the backend to check."""

    id: str
    op: str
    args: dict[str, Any] = field(default_factory=dict)
    user: str = ""
    role: str = ""
    host: str = ""
    session: str = ""  # the login token; with user accounts the backend acts as its user


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to one Request, matched by id."""

    id: str
    ok: bool
    result: Any = None
    error: str | None = None


Message = TelemetryBatch | AlarmChange | Heartbeat
