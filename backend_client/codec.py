"""Encode and strictly decode protocol v1 frames; anything malformed raises ProtocolError."""

from __future__ import annotations

from typing import Any

import msgpack
import numpy as np

from backend_client.protocol import (
    ALARM_TOPIC,
    CHANNEL_DTYPE,
    HEARTBEAT_TOPIC,
    MAX_BATCH_SAMPLES,
    MAX_FRAME_BYTES,
    MAX_RECORD_STEPS,
    MAX_REPLY_BYTES,
    MAX_REQUEST_BYTES,
    MAX_STRING_CHARS,
    MAX_TOPIC_BYTES,
    PROTOCOL_VERSION,
    QUALITY_DTYPE,
    TELEMETRY_PREFIX,
    TIME_DTYPE,
    VALUE_DTYPE,
    AlarmChange,
    AlarmRecord,
    AlarmState,
    AlarmStep,
    Heartbeat,
    LoopStage,
    Message,
    Reply,
    Request,
    TelemetryBatch,
)


class ProtocolError(ValueError):
    """A frame that does not follow protocol v1; the client counts, logs and drops it."""


class UnknownMessageError(ProtocolError):
    """A well-formed frame whose topic or op this version does not know."""


_UNPACK_LIMITS = {
    "max_str_len": MAX_REPLY_BYTES,
    "max_bin_len": MAX_REPLY_BYTES,
    "max_array_len": MAX_BATCH_SAMPLES,
    "max_map_len": MAX_BATCH_SAMPLES,
}


def _pack(body: dict[str, Any]) -> bytes:
    return msgpack.packb(body, use_bin_type=True)


def _unpack(data: bytes, what: str, max_bytes: int = MAX_FRAME_BYTES) -> dict[str, Any]:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ProtocolError(f"{what}: body is {type(data).__name__}, expected bytes")
    if len(data) > max_bytes:
        raise ProtocolError(f"{what}: body of {len(data)} bytes exceeds the {max_bytes} limit")
    try:
        body = msgpack.unpackb(data, raw=False, strict_map_key=True, **_UNPACK_LIMITS)
    except Exception as exc:  # msgpack raises several unrelated types for bad input
        raise ProtocolError(f"{what}: not valid msgpack ({type(exc).__name__}: {exc})") from None
    if not isinstance(body, dict):
        raise ProtocolError(f"{what}: body is a msgpack {type(body).__name__}, expected a map")
    if "v" not in body:
        raise ProtocolError(f"{what}: missing field 'v' (protocol version)")
    version = body["v"]
    # type() rather than ==: True and 1.0 compare equal to 1 but are not version 1 on the wire
    if type(version) is not int or version != PROTOCOL_VERSION:
        raise ProtocolError(f"{what}: protocol version {version!r}, expected {PROTOCOL_VERSION}")
    return body


def _get(body: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if key not in body:
        raise ProtocolError(f"{what}: missing field {key!r}")
    value = body[key]
    if isinstance(value, bool) and kind is not bool and bool not in _as_tuple(kind):
        raise ProtocolError(f"{what}: field {key!r} is a bool, expected {_names(kind)}")
    if not isinstance(value, kind):
        raise ProtocolError(
            f"{what}: field {key!r} is {type(value).__name__}, expected {_names(kind)}"
        )
    if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        raise ProtocolError(f"{what}: field {key!r} longer than {MAX_STRING_CHARS} characters")
    return value


def _opt(body: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if body.get(key) is None:
        return None
    return _get(body, key, kind, what)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _names(kind: type | tuple[type, ...]) -> str:
    return " or ".join(k.__name__ for k in _as_tuple(kind))


def _array(body: dict[str, Any], key: str, dtype: np.dtype, n: int, what: str) -> np.ndarray:
    raw = _get(body, key, bytes, what)
    if len(raw) != n * dtype.itemsize:
        raise ProtocolError(
            f"{what}: field {key!r} holds {len(raw)} bytes, expected {n} x {dtype.itemsize}"
        )
    return np.frombuffer(raw, dtype=dtype)


# --- publications -----------------------------------------------------------------------------


def encode_telemetry(
    topic: str,
    seq: int,
    channels: np.ndarray,
    times_us: np.ndarray,
    values: np.ndarray,
    quality: np.ndarray,
) -> list[bytes]:
    """Pack one batch as [topic, body]; arrays are cast to their wire dtypes."""
    n = len(channels)
    if not (len(times_us) == len(values) == len(quality) == n):
        raise ValueError("telemetry arrays must have equal lengths")
    body = {
        "v": PROTOCOL_VERSION,
        "seq": int(seq),
        "n": n,
        "ch": np.ascontiguousarray(channels, dtype=CHANNEL_DTYPE).tobytes(),
        "ts": np.ascontiguousarray(times_us, dtype=TIME_DTYPE).tobytes(),
        "val": np.ascontiguousarray(values, dtype=VALUE_DTYPE).tobytes(),
        "q": np.ascontiguousarray(quality, dtype=QUALITY_DTYPE).tobytes(),
    }
    return [TELEMETRY_PREFIX + topic.encode("ascii"), _pack(body)]


def alarm_to_wire(alarm: AlarmRecord) -> dict[str, Any]:
    """The msgpack map of one alarm record, as in alarm messages and snapshots."""
    wire = {
        "id": alarm.id,
        "ch": alarm.channel,
        "sensor": alarm.sensor,
        "level": alarm.level,
        "state": str(alarm.state),
        "active": alarm.active,
        "value": float(alarm.value),
        "limit": float(alarm.limit),
        "raised": alarm.raised_us,
        "changed": alarm.changed_us,
        "text": alarm.text,
        "ack_user": alarm.ack_user,
        "ack_comment": alarm.ack_comment,
        "ack_time": alarm.ack_us,
        "shelved_until": alarm.shelved_until_us,
        "guidance": alarm.guidance,
        "responsible": alarm.responsible,
        "latched": alarm.latched,
        "chattering": alarm.chattering,
        "loop": str(alarm.loop),
        "verdict": alarm.verdict,
        "steps": [step_to_wire(step) for step in alarm.steps],
    }
    if alarm.exercise:  # sent only for a drill's alarm: every other frame stays as it was
        wire["exercise"] = True
    return wire


def step_to_wire(step: AlarmStep) -> dict[str, Any]:
    """The msgpack map of one closed-loop step, as carried in an alarm record's steps."""
    return {
        "action": step.action,
        "user": step.user,
        "role": step.role,
        "host": step.host,
        "time": step.time_us,
        "note": step.note,
        "detail": step.detail,
    }


def step_from_wire(raw: Any, what: str = "step") -> AlarmStep:
    """Validate one closed-loop step map."""
    if not isinstance(raw, dict):
        raise ProtocolError(f"{what}: is {type(raw).__name__}, expected a map")
    return AlarmStep(
        action=_get(raw, "action", str, what),
        user=_get(raw, "user", str, what),
        role=_get(raw, "role", str, what),
        host=_get(raw, "host", str, what),
        time_us=_get(raw, "time", int, what),
        note=_opt(raw, "note", str, what) or "",
        detail=_opt(raw, "detail", str, what) or "",
    )


def _steps(raw: dict[str, Any], what: str) -> tuple[AlarmStep, ...]:
    steps = _opt(raw, "steps", list, what) or []
    if len(steps) > MAX_RECORD_STEPS:
        raise ProtocolError(f"{what}: {len(steps)} steps, at most {MAX_RECORD_STEPS} allowed")
    return tuple(step_from_wire(s, f"{what}: steps[{i}]") for i, s in enumerate(steps))


def _loop(raw: dict[str, Any], what: str) -> LoopStage:
    text = _opt(raw, "loop", str, what) or ""
    try:
        return LoopStage(text)
    except ValueError:
        raise ProtocolError(f"{what}: unknown loop stage {text!r}") from None


def _verdict(raw: dict[str, Any], what: str) -> str | None:
    verdict = _opt(raw, "verdict", str, what)
    if verdict not in (None, "real", "false"):
        raise ProtocolError(f"{what}: verdict {verdict!r}, expected 'real', 'false' or nil")
    return verdict


def alarm_from_wire(raw: Any, what: str = "alarm") -> AlarmRecord:
    """Validate one alarm map into a record."""
    if not isinstance(raw, dict):
        raise ProtocolError(f"{what}: is {type(raw).__name__}, expected a map")
    level = _get(raw, "level", int, what)
    if not 1 <= level <= 4:
        raise ProtocolError(f"{what}: level {level} outside 1..4")
    state_text = _get(raw, "state", str, what)
    try:
        state = AlarmState(state_text)
    except ValueError:
        raise ProtocolError(f"{what}: unknown state {state_text!r}") from None
    return AlarmRecord(
        id=_get(raw, "id", str, what),
        channel=_get(raw, "ch", int, what),
        sensor=_get(raw, "sensor", str, what),
        level=level,
        state=state,
        active=_get(raw, "active", bool, what),
        value=float(_get(raw, "value", (float, int), what)),
        limit=float(_get(raw, "limit", (float, int), what)),
        raised_us=_get(raw, "raised", int, what),
        changed_us=_get(raw, "changed", int, what),
        text=_opt(raw, "text", str, what) or "",
        ack_user=_opt(raw, "ack_user", str, what),
        ack_comment=_opt(raw, "ack_comment", str, what),
        ack_us=_opt(raw, "ack_time", int, what),
        shelved_until_us=_opt(raw, "shelved_until", int, what),
        guidance=_opt(raw, "guidance", str, what) or "",
        responsible=_opt(raw, "responsible", str, what) or "",
        latched=bool(_opt(raw, "latched", bool, what)),
        chattering=bool(_opt(raw, "chattering", bool, what)),
        loop=_loop(raw, what),
        verdict=_verdict(raw, what),
        steps=_steps(raw, what),
        exercise=bool(_opt(raw, "exercise", bool, what)),
    )


def encode_alarm_change(change: AlarmChange) -> list[bytes]:
    """Pack one alarm change as [topic, body]."""
    body = {"v": PROTOCOL_VERSION, "seq": change.seq, "alarm": alarm_to_wire(change.alarm)}
    return [ALARM_TOPIC, _pack(body)]


def encode_heartbeat(beat: Heartbeat) -> list[bytes]:
    """Pack one heartbeat as [topic, body]."""
    body = {
        "v": PROTOCOL_VERSION,
        "t": beat.time_us,
        "instance": beat.instance,
        "alarm_seq": beat.alarm_seq,
        "period_ms": beat.period_ms,
        "flood": beat.flood,
        "alarm_rate": beat.alarm_rate,
    }
    return [HEARTBEAT_TOPIC, _pack(body)]


def decode_publication(frames: list[bytes]) -> Message:
    """Decode a [topic, body] publication; raise ProtocolError on anything malformed."""
    if not isinstance(frames, list | tuple) or len(frames) != 2:
        count = len(frames) if isinstance(frames, list | tuple) else "?"
        raise ProtocolError(f"publication: {count} frames, expected 2 (topic, body)")
    if not isinstance(frames[0], bytes | bytearray | memoryview):
        raise ProtocolError(f"publication: topic is {type(frames[0]).__name__}, expected bytes")
    topic, data = bytes(frames[0]), frames[1]
    if len(topic) > MAX_TOPIC_BYTES:
        raise ProtocolError(f"publication: topic longer than {MAX_TOPIC_BYTES} bytes")
    if not topic.isascii():
        raise ProtocolError(f"publication: topic {topic[:40]!r} is not ASCII")
    if topic.startswith(TELEMETRY_PREFIX):
        return _decode_telemetry(topic, data)
    if topic == ALARM_TOPIC:
        body = _unpack(data, "alarm message")
        seq = _get(body, "seq", int, "alarm message")
        alarm = _get(body, "alarm", dict, "alarm message")
        return AlarmChange(seq=seq, alarm=alarm_from_wire(alarm, "alarm message"))
    if topic == HEARTBEAT_TOPIC:
        body = _unpack(data, "heartbeat")
        return Heartbeat(
            time_us=_get(body, "t", int, "heartbeat"),
            instance=_get(body, "instance", str, "heartbeat"),
            alarm_seq=_get(body, "alarm_seq", int, "heartbeat"),
            period_ms=_get(body, "period_ms", int, "heartbeat"),
            flood=bool(_opt(body, "flood", bool, "heartbeat")),
            alarm_rate=_opt(body, "alarm_rate", int, "heartbeat") or 0,
        )
    raise UnknownMessageError(f"publication: unknown topic {topic[:40]!r}")


HEADER_PEEK_BYTES = 64  # a telemetry body's small fields come first: enough to read seq and n


def telemetry_header(frames: list[bytes]) -> tuple[str, int, int]:
    """(topic, seq, n) of a telemetry publication, checked but without building its arrays.

    Reads only the body's first bytes when its small fields come before the sample arrays (as
    this codec writes them), so shedding a frame costs microseconds, not a decode.
    """
    topic = bytes(frames[0])
    what = f"telemetry {topic[:40].decode('ascii', 'replace')}"
    fields = _peek_fields(frames[1], ("seq", "n"))
    if fields is None:
        fields = _unpack(frames[1], what)
    n = _get(fields, "n", int, what)
    if not 0 <= n <= MAX_BATCH_SAMPLES:
        raise ProtocolError(f"{what}: n={n} outside 0..{MAX_BATCH_SAMPLES}")
    seq = _get(fields, "seq", int, what)
    return topic[len(TELEMETRY_PREFIX) :].decode("ascii", "replace"), seq, n


def _peek_fields(data: Any, wanted: tuple[str, ...]) -> dict[str, Any] | None:
    """The wanted fields from a body's leading entries (short string keys, integer values), or
    None when the body does not start that way (then the caller unpacks it all)."""
    head = bytes(memoryview(data)[:HEADER_PEEK_BYTES])
    if not head or head[0] & 0xF0 != 0x80:  # a fixmap: up to 15 entries
        return None
    found: dict[str, Any] = {}
    at = 1
    for _ in range(head[0] & 0x0F):
        if at >= len(head) or head[at] & 0xE0 != 0xA0:  # keys are short strings (fixstr)
            return None
        end = at + 1 + (head[at] & 0x1F)
        key = head[at + 1 : end].decode("ascii", "replace")
        at = end
        if at >= len(head):
            return None
        tag = head[at]
        if tag <= 0x7F:  # positive fixint
            value, at = tag, at + 1
        elif tag in _UINT_SIZES:
            size = _UINT_SIZES[tag]
            if at + 1 + size > len(head):
                return None
            value, at = int.from_bytes(head[at + 1 : at + 1 + size], "big"), at + 1 + size
        else:
            return None  # a bin or other value before what we want: unpack it all
        if key in wanted:
            found[key] = value
            if len(found) == len(wanted):
                return found
    return None


_UINT_SIZES = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}


def _decode_telemetry(topic: bytes, data: bytes) -> TelemetryBatch:
    what = f"telemetry {topic[:40].decode('ascii', 'replace')}"
    body = _unpack(data, what)
    n = _get(body, "n", int, what)
    if not 0 <= n <= MAX_BATCH_SAMPLES:
        raise ProtocolError(f"{what}: n={n} outside 0..{MAX_BATCH_SAMPLES}")
    return TelemetryBatch(
        topic=topic[len(TELEMETRY_PREFIX) :].decode("ascii", "replace"),
        seq=_get(body, "seq", int, what),
        channels=_array(body, "ch", CHANNEL_DTYPE, n, what),
        times_us=_array(body, "ts", TIME_DTYPE, n, what),
        values=_array(body, "val", VALUE_DTYPE, n, what),
        quality=_array(body, "q", QUALITY_DTYPE, n, what),
    )


# --- requests and replies ---------------------------------------------------------------------


def encode_request(request: Request) -> bytes:
    """Pack a request body (one frame; a REQ client's empty delimiter is added by ZeroMQ)."""
    body = {
        "v": PROTOCOL_VERSION,
        "id": request.id,
        "op": request.op,
        "args": request.args,
        "user": request.user,
        "role": request.role,
        "host": request.host,
    }
    if request.session:
        body["session"] = request.session
    return _pack(body)


def decode_request(data: bytes) -> Request:
    """Validate a request body; the op itself is checked by the server's dispatcher."""
    body = _unpack(data, "request", max_bytes=MAX_REQUEST_BYTES)
    args = _opt(body, "args", dict, "request") or {}
    return Request(
        id=_get(body, "id", str, "request"),
        op=_get(body, "op", str, "request"),
        args=args,
        user=_opt(body, "user", str, "request") or "",
        role=_opt(body, "role", str, "request") or "",
        host=_opt(body, "host", str, "request") or "",
        session=_opt(body, "session", str, "request") or "",
    )


def encode_reply(reply: Reply) -> bytes:
    """Pack a reply body."""
    body = {
        "v": PROTOCOL_VERSION,
        "id": reply.id,
        "ok": reply.ok,
        "result": reply.result,
        "error": reply.error,
    }
    return _pack(body)


def decode_reply(data: bytes) -> Reply:
    """Validate a reply body."""
    body = _unpack(data, "reply", max_bytes=MAX_REPLY_BYTES)
    return Reply(
        id=_get(body, "id", str, "reply"),
        ok=_get(body, "ok", bool, "reply"),
        result=body.get("result"),
        error=_opt(body, "error", str, "reply"),
    )


def pack_samples(
    channels: np.ndarray, times_us: np.ndarray, values: np.ndarray, quality: np.ndarray
) -> dict[str, Any]:
    """The packed-array map used inside history replies (same layout as telemetry)."""
    return {
        "n": len(channels),
        "ch": np.ascontiguousarray(channels, dtype=CHANNEL_DTYPE).tobytes(),
        "ts": np.ascontiguousarray(times_us, dtype=TIME_DTYPE).tobytes(),
        "val": np.ascontiguousarray(values, dtype=VALUE_DTYPE).tobytes(),
        "q": np.ascontiguousarray(quality, dtype=QUALITY_DTYPE).tobytes(),
    }


def unpack_samples(raw: Any, what: str = "history") -> TelemetryBatch:
    """Validate a packed-array map (history reply) into a batch."""
    if not isinstance(raw, dict):
        raise ProtocolError(f"{what}: samples are {type(raw).__name__}, expected a map")
    n = _get(raw, "n", int, what)
    if not 0 <= n <= MAX_BATCH_SAMPLES * 16:
        raise ProtocolError(f"{what}: n={n} out of range")
    return TelemetryBatch(
        topic="history",
        seq=0,
        channels=_array(raw, "ch", CHANNEL_DTYPE, n, what),
        times_us=_array(raw, "ts", TIME_DTYPE, n, what),
        values=_array(raw, "val", VALUE_DTYPE, n, what),
        quality=_array(raw, "q", QUALITY_DTYPE, n, what),
    )
