"""Protocol v1 codec: round trips, wire dtypes, and strict rejection of anything malformed."""

from __future__ import annotations

import contextlib
import random
from typing import Any

import msgpack
import numpy as np
import pytest

from backend_client import codec
from backend_client.codec import ProtocolError, UnknownMessageError
from backend_client.protocol import (
    MAX_BATCH_SAMPLES,
    MAX_FRAME_BYTES,
    MAX_RECORD_STEPS,
    MAX_REPLY_BYTES,
    MAX_REQUEST_BYTES,
    MAX_STRING_CHARS,
    MAX_TOPIC_BYTES,
    PROTOCOL_VERSION,
    AlarmChange,
    AlarmRecord,
    AlarmState,
    AlarmStep,
    Heartbeat,
    LoopStage,
    Quality,
    Reply,
    Request,
    TelemetryBatch,
)

T0_US = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


def random_arrays(n: int, seed: int = 7) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    channels = rng.integers(0, 2**32, n, dtype=np.uint32)
    times = T0_US + np.sort(rng.integers(0, 10**9, n, dtype=np.int64))
    values = rng.normal(0, 1e3, n).astype(np.float32)
    values[rng.random(n) < 0.2] = np.nan
    quality = rng.integers(0, len(Quality), n, dtype=np.uint8)
    return channels, times, values, quality


def make_alarm(**changes: Any) -> AlarmRecord:
    fields: dict[str, Any] = {
        "id": "T1-GAS-Z3-CH4-01:HH",
        "channel": 42,
        "sensor": "T1-GAS-Z3-CH4-01",
        "level": 1,
        "state": AlarmState.UNACK,
        "active": True,
        "value": 27.5,
        "limit": 25.0,
        "raised_us": T0_US,
        "changed_us": T0_US + 1_000,
        "text": "CH4 above 25 %LEL",
    }
    fields.update(changes)
    return AlarmRecord(**fields)


def telemetry_frames(n: int = 4) -> list[bytes]:
    return codec.encode_telemetry("gas", 12, *random_arrays(n))


def alarm_frames() -> list[bytes]:
    return codec.encode_alarm_change(AlarmChange(seq=9, alarm=make_alarm()))


def heartbeat_frames() -> list[bytes]:
    return codec.encode_heartbeat(Heartbeat(T0_US, "sim-1a2b", 9, 1000))


def body_of(frames: list[bytes]) -> dict[str, Any]:
    return msgpack.unpackb(frames[1], raw=False)


def with_body(frames: list[bytes], body: dict[str, Any]) -> list[bytes]:
    return [frames[0], msgpack.packb(body, use_bin_type=True)]


VALID_PUBLICATIONS = {
    "telemetry": telemetry_frames,
    "alarm": alarm_frames,
    "heartbeat": heartbeat_frames,
}


# --- round trips ------------------------------------------------------------------------------


def test_telemetry_round_trip_keeps_every_sample_bit_for_bit_including_nan() -> None:
    channels, times, values, quality = random_arrays(1000)
    frames = codec.encode_telemetry("water", 77, channels, times, values, quality)

    batch = codec.decode_publication(frames)

    assert isinstance(batch, TelemetryBatch)
    assert frames[0] == b"tel.water"
    assert (batch.topic, batch.seq, len(batch)) == ("water", 77, 1000)
    np.testing.assert_array_equal(batch.channels, channels)
    np.testing.assert_array_equal(batch.times_us, times)
    np.testing.assert_array_equal(batch.values.view(np.uint32), values.view(np.uint32))
    np.testing.assert_array_equal(batch.quality, quality)
    assert np.isnan(batch.values).sum() == np.isnan(values).sum() > 0


def test_empty_telemetry_batch_round_trips() -> None:
    empty = np.array([])
    batch = codec.decode_publication(codec.encode_telemetry("bridge", 0, *[empty] * 4))
    assert isinstance(batch, TelemetryBatch)
    assert len(batch) == 0
    assert batch.values.dtype == np.float32


def test_encoder_casts_arrays_to_wire_dtypes() -> None:
    frames = codec.encode_telemetry(
        "heating", 1, [1, 2], np.array([T0_US, T0_US + 1]), np.array([0.1, 0.2]), [0, 7]
    )
    body = body_of(frames)
    assert body["n"] == 2
    assert body["ch"] == (1).to_bytes(4, "little") + (2).to_bytes(4, "little")
    assert body["ts"] == T0_US.to_bytes(8, "little") + (T0_US + 1).to_bytes(8, "little")
    assert body["val"] == np.array([0.1, 0.2], dtype="<f4").tobytes()
    assert body["q"] == b"\x00\x07"


def test_encoder_refuses_arrays_of_unequal_length() -> None:
    with pytest.raises(ValueError, match="equal lengths"):
        codec.encode_telemetry("gas", 0, [1, 2], [T0_US], [0.0, 1.0], [0, 0])


def test_decoded_telemetry_arrays_have_the_wire_dtypes() -> None:
    batch = codec.decode_publication(telemetry_frames())
    assert batch.channels.dtype.str == "<u4"
    assert batch.times_us.dtype.str == "<i8"
    assert batch.values.dtype.str == "<f4"
    assert batch.quality.dtype.str == "|u1"


def test_decoded_telemetry_arrays_are_read_only_views_of_the_body_bytes() -> None:
    batch = codec.decode_publication(telemetry_frames(64))
    for array in (batch.channels, batch.times_us, batch.values, batch.quality):
        assert isinstance(array.base, bytes), "frombuffer view, not a copy"
        assert not array.flags.owndata
        assert not array.flags.writeable
        assert array.nbytes == len(array.base)
        assert np.shares_memory(array, np.frombuffer(array.base, dtype=np.uint8))


@pytest.mark.parametrize(
    "alarm",
    [
        make_alarm(),
        make_alarm(
            state=AlarmState.ACKED,
            ack_user="li.wei",
            ack_comment="crew sent",
            ack_us=T0_US + 5_000_000,
        ),
        make_alarm(state=AlarmState.SHELVED, level=4, shelved_until_us=T0_US + 3_600_000_000),
        make_alarm(state=AlarmState.RTN_UNACK, active=False, text=""),
    ],
    ids=["unack", "acked", "shelved", "rtn_unack"],
)
def test_alarm_change_round_trips_the_whole_record(alarm: AlarmRecord) -> None:
    change = AlarmChange(seq=123, alarm=alarm)
    frames = codec.encode_alarm_change(change)
    assert frames[0] == b"alm"
    assert codec.decode_publication(frames) == change


def test_alarm_record_wire_map_uses_the_documented_keys() -> None:
    wire = codec.alarm_to_wire(make_alarm())
    assert set(wire) == {
        "id", "ch", "sensor", "level", "state", "active", "value", "limit", "raised",
        "changed", "text", "ack_user", "ack_comment", "ack_time", "shelved_until",
        "guidance", "responsible", "latched", "chattering", "loop", "verdict", "steps",
    }  # fmt: skip
    assert wire["state"] == "unack"
    assert codec.alarm_from_wire(wire) == make_alarm()


def test_alarm_value_accepts_an_integer_on_the_wire() -> None:
    wire = codec.alarm_to_wire(make_alarm())
    wire["value"], wire["limit"] = 30, 25
    alarm = codec.alarm_from_wire(wire)
    assert (alarm.value, alarm.limit) == (30.0, 25.0)
    assert isinstance(alarm.value, float)


def closed_loop_alarm() -> AlarmRecord:
    return make_alarm(
        state=AlarmState.ACKED,
        guidance="Call the gas company.",
        responsible="City Gas Co.",
        latched=True,
        chattering=True,
        loop=LoopStage.DISPATCHED,
        verdict="real",
        steps=(
            AlarmStep("ack", "li.wei", "supervisor", "desk3", T0_US + 1, "seen on CCTV"),
            AlarmStep("verify", "li.wei", "supervisor", "desk3", T0_US + 2, "", "real"),
            AlarmStep("dispatch", "li.wei", "supervisor", "desk3", T0_US + 3, "", "City Gas Co."),
        ),
    )


def test_alarm_record_with_guidance_and_closed_loop_steps_round_trips() -> None:
    change = AlarmChange(seq=5, alarm=closed_loop_alarm())
    assert codec.decode_publication(codec.encode_alarm_change(change)) == change
    step = codec.alarm_to_wire(closed_loop_alarm())["steps"][2]
    assert step == {
        "action": "dispatch", "user": "li.wei", "role": "supervisor", "host": "desk3",
        "time": T0_US + 3, "note": "", "detail": "City Gas Co.",
    }  # fmt: skip


def test_alarm_record_from_an_older_backend_gets_the_new_fields_defaults() -> None:
    wire = codec.alarm_to_wire(make_alarm())
    for key in ("guidance", "responsible", "latched", "chattering", "loop", "verdict", "steps"):
        del wire[key]
    alarm = codec.alarm_from_wire(wire)
    assert (alarm.guidance, alarm.loop, alarm.verdict, alarm.steps) == (
        "",
        LoopStage.NONE,
        None,
        (),
    )
    assert not alarm.latched and not alarm.chattering


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("loop", "archived", "unknown loop stage 'archived'"),
        ("verdict", "maybe", "verdict 'maybe'"),
        ("latched", 1, "field 'latched' is int, expected bool"),
        ("steps", {"action": "ack"}, "field 'steps' is dict, expected list"),
        ("steps", [["ack"]], "steps\\[0\\]: is list, expected a map"),
        ("guidance", 3, "field 'guidance' is int, expected str"),
    ],
)
def test_alarm_record_with_a_bad_new_field_is_rejected(key: str, value: Any, expected: str) -> None:
    wire = codec.alarm_to_wire(closed_loop_alarm())
    wire[key] = value
    with pytest.raises(ProtocolError, match=expected):
        codec.alarm_from_wire(wire)


def test_step_missing_its_time_or_with_a_bool_time_is_rejected() -> None:
    wire = codec.alarm_to_wire(closed_loop_alarm())
    del wire["steps"][0]["time"]
    with pytest.raises(ProtocolError, match="steps\\[0\\]: missing field 'time'"):
        codec.alarm_from_wire(wire)
    wire["steps"][0]["time"] = True
    with pytest.raises(ProtocolError, match="is a bool"):
        codec.alarm_from_wire(wire)


def test_alarm_record_with_too_many_steps_is_rejected() -> None:
    wire = codec.alarm_to_wire(closed_loop_alarm())
    wire["steps"] = [wire["steps"][0]] * (MAX_RECORD_STEPS + 1)
    with pytest.raises(ProtocolError, match=f"at most {MAX_RECORD_STEPS}"):
        codec.alarm_from_wire(wire)


def test_heartbeat_carries_the_flood_flag_and_rate() -> None:
    beat = Heartbeat(T0_US, "sim-1a2b", 17, 1000, flood=True, alarm_rate=14)
    assert codec.decode_publication(codec.encode_heartbeat(beat)) == beat


def test_heartbeat_without_flood_fields_decodes_as_no_flood() -> None:
    frames = heartbeat_frames()
    body = body_of(frames)
    del body["flood"], body["alarm_rate"]
    beat = codec.decode_publication(with_body(frames, body))
    assert isinstance(beat, Heartbeat) and (beat.flood, beat.alarm_rate) == (False, 0)
    body["flood"] = 1
    with pytest.raises(ProtocolError, match="field 'flood' is int, expected bool"):
        codec.decode_publication(with_body(frames, body))


def test_heartbeat_round_trips() -> None:
    beat = Heartbeat(time_us=T0_US, instance="sim-1a2b", alarm_seq=17, period_ms=1000)
    frames = codec.encode_heartbeat(beat)
    assert frames[0] == b"hb"
    assert codec.decode_publication(frames) == beat


def test_request_round_trips_with_args_and_identity() -> None:
    request = Request(
        id="c1-0001",
        op="ack",
        args={"alarm": "A-1", "comment": "seen", "cmd": "cmd-1"},
        user="li.wei",
        role="operator",
        host="desk-3",
    )
    assert codec.decode_request(codec.encode_request(request)) == request


def test_request_without_optional_fields_gets_empty_defaults() -> None:
    data = msgpack.packb({"v": 1, "id": "x", "op": "hello"})
    assert codec.decode_request(data) == Request(id="x", op="hello")


@pytest.mark.parametrize(
    "reply",
    [
        Reply(id="c1-0001", ok=True, result={"seq": 4, "alarms": []}),
        Reply(id="c1-0002", ok=False, error="unknown op 'frobnicate'"),
    ],
    ids=["success", "error"],
)
def test_reply_round_trips(reply: Reply) -> None:
    assert codec.decode_reply(codec.encode_reply(reply)) == reply


def test_packed_samples_round_trip_through_a_history_reply() -> None:
    channels, times, values, quality = random_arrays(500, seed=3)
    samples = codec.pack_samples(channels, times, values, quality)
    reply = Reply(id="h1", ok=True, result={"samples": samples})

    decoded = codec.decode_reply(codec.encode_reply(reply))
    batch = codec.unpack_samples(decoded.result["samples"])

    assert len(batch) == 500
    np.testing.assert_array_equal(batch.channels, channels)
    np.testing.assert_array_equal(batch.times_us, times)
    np.testing.assert_array_equal(batch.values.view(np.uint32), values.view(np.uint32))
    np.testing.assert_array_equal(batch.quality, quality)
    assert batch.values.dtype.str == "<f4"


# --- rejection --------------------------------------------------------------------------------


def test_unknown_message_error_is_a_protocol_error() -> None:
    assert issubclass(UnknownMessageError, ProtocolError)
    assert issubclass(ProtocolError, ValueError)


@pytest.mark.parametrize("frames", [[], [b"hb"], [b"hb", b"", b""]], ids=["0", "1", "3"])
def test_publication_with_other_than_two_frames_is_rejected(frames: list[bytes]) -> None:
    with pytest.raises(ProtocolError, match=f"{len(frames)} frames, expected 2"):
        codec.decode_publication(frames)


def test_publication_that_is_not_a_frame_list_is_rejected() -> None:
    with pytest.raises(ProtocolError, match="expected 2"):
        codec.decode_publication(b"hb")  # type: ignore[arg-type]


def test_topic_that_is_not_bytes_is_rejected() -> None:
    with pytest.raises(ProtocolError, match="topic is str"):
        codec.decode_publication(["hb", heartbeat_frames()[1]])  # type: ignore[list-item]


@pytest.mark.parametrize("topic", [b"", b"tel", b"alarm", b"hbx", b"TEL.gas", b"\x00"])
def test_unknown_topic_raises_unknown_message_error(topic: bytes) -> None:
    with pytest.raises(UnknownMessageError, match="unknown topic"):
        codec.decode_publication([topic, heartbeat_frames()[1]])


def test_non_ascii_topic_is_rejected() -> None:
    frames = telemetry_frames()
    with pytest.raises(ProtocolError, match="not ASCII"):
        codec.decode_publication([b"tel.\xe7\x87\x83\xe6\xb0\x94", frames[1]])


def test_oversize_topic_is_rejected_before_the_body_is_read() -> None:
    topic = b"tel." + b"g" * (MAX_TOPIC_BYTES - 3)
    with pytest.raises(ProtocolError, match=f"topic longer than {MAX_TOPIC_BYTES}"):
        codec.decode_publication([topic, b"not even msgpack \xc1"])


def test_topic_at_the_limit_is_accepted() -> None:
    topic = b"tel." + b"g" * (MAX_TOPIC_BYTES - 4)
    frames = codec.encode_telemetry(topic[4:].decode(), 1, *random_arrays(2))
    assert codec.decode_publication(frames).topic == topic[4:].decode()


@pytest.mark.parametrize("data", [b"\xc1", b"\x92\x01", b"", b"\xd9\x05ab"])
def test_body_that_is_not_msgpack_is_rejected(data: bytes) -> None:
    with pytest.raises(ProtocolError, match="heartbeat: not valid msgpack"):
        codec.decode_publication([b"hb", data])


@pytest.mark.parametrize("value", [[1, 2], "hello", 7, None, b"\x00"])
def test_body_that_is_msgpack_but_not_a_map_is_rejected(value: Any) -> None:
    with pytest.raises(ProtocolError, match="expected a map"):
        codec.decode_publication([b"alm", msgpack.packb(value, use_bin_type=True)])


def test_body_with_extra_bytes_after_the_map_is_rejected() -> None:
    frames = heartbeat_frames()
    with pytest.raises(ProtocolError, match="not valid msgpack"):
        codec.decode_publication([frames[0], frames[1] + b"\x00"])


@pytest.mark.parametrize("kind", sorted(VALID_PUBLICATIONS))
@pytest.mark.parametrize("version", [0, 2, True, 1.0, "1", None])
def test_other_protocol_versions_are_rejected(kind: str, version: Any) -> None:
    frames = VALID_PUBLICATIONS[kind]()
    body = body_of(frames)
    body["v"] = version
    with pytest.raises(ProtocolError, match="protocol version"):
        codec.decode_publication(with_body(frames, body))


@pytest.mark.parametrize("kind", sorted(VALID_PUBLICATIONS))
def test_missing_version_is_rejected(kind: str) -> None:
    frames = VALID_PUBLICATIONS[kind]()
    body = body_of(frames)
    del body["v"]
    with pytest.raises(ProtocolError, match="missing field 'v'"):
        codec.decode_publication(with_body(frames, body))


REQUIRED_FIELDS = [("telemetry", key) for key in ("seq", "n", "ch", "ts", "val", "q")] + [
    ("heartbeat", key) for key in ("t", "instance", "alarm_seq", "period_ms")
]


@pytest.mark.parametrize(("kind", "key"), REQUIRED_FIELDS)
def test_missing_required_field_is_rejected_by_name(kind: str, key: str) -> None:
    frames = VALID_PUBLICATIONS[kind]()
    body = body_of(frames)
    del body[key]
    with pytest.raises(ProtocolError, match=f"missing field '{key}'"):
        codec.decode_publication(with_body(frames, body))


@pytest.mark.parametrize("key", ["seq", "alarm"])
def test_alarm_message_missing_a_top_level_field_is_rejected_by_name(key: str) -> None:
    frames = alarm_frames()
    body = body_of(frames)
    del body[key]
    with pytest.raises(ProtocolError, match=f"alarm message: missing field '{key}'"):
        codec.decode_publication(with_body(frames, body))


@pytest.mark.parametrize(
    "key",
    ["id", "ch", "sensor", "level", "state", "active", "value", "limit", "raised", "changed"],
)
def test_alarm_record_missing_a_required_field_is_rejected_by_name(key: str) -> None:
    frames = alarm_frames()
    body = body_of(frames)
    del body["alarm"][key]
    with pytest.raises(ProtocolError, match=f"missing field '{key}'"):
        codec.decode_publication(with_body(frames, body))


@pytest.mark.parametrize(
    "key", ["text", "ack_user", "ack_comment", "ack_time", "shelved_until"]
)  # fmt: skip
def test_alarm_record_optional_fields_may_be_absent(key: str) -> None:
    frames = alarm_frames()
    body = body_of(frames)
    del body["alarm"][key]
    change = codec.decode_publication(with_body(frames, body))
    assert isinstance(change, AlarmChange)


@pytest.mark.parametrize(
    ("kind", "key", "value", "expected"),
    [
        ("telemetry", "seq", True, "is a bool, expected int"),
        ("telemetry", "n", "4", "is str, expected int"),
        ("telemetry", "n", 4.0, "is float, expected int"),
        ("telemetry", "ch", "abcd", "is str, expected bytes"),
        ("telemetry", "val", [1.0, 2.0], "is list, expected bytes"),
        ("heartbeat", "t", False, "is a bool, expected int"),
        ("heartbeat", "alarm_seq", "9", "is str, expected int"),
        ("heartbeat", "instance", 5, "is int, expected str"),
        ("alarm", "seq", True, "is a bool, expected int"),
        ("alarm", "alarm", [1], "is list, expected dict"),
    ],
)
def test_field_of_the_wrong_type_is_rejected_by_name(
    kind: str, key: str, value: Any, expected: str
) -> None:
    frames = VALID_PUBLICATIONS[kind]()
    body = body_of(frames)
    body[key] = value
    with pytest.raises(ProtocolError, match=f"field '{key}' {expected}"):
        codec.decode_publication(with_body(frames, body))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("ch", True, "is a bool, expected int"),
        ("ch", "42", "is str, expected int"),
        ("level", True, "is a bool, expected int"),
        ("active", 1, "is int, expected bool"),
        ("value", "27.5", "is str, expected float or int"),
        ("value", False, "is a bool, expected float or int"),
        ("raised", 1.5, "is float, expected int"),
        ("ack_time", "now", "is str, expected int"),
        ("text", 3, "is int, expected str"),
    ],
)
def test_alarm_record_field_of_the_wrong_type_is_rejected_by_name(
    key: str, value: Any, expected: str
) -> None:
    frames = alarm_frames()
    body = body_of(frames)
    body["alarm"][key] = value
    with pytest.raises(ProtocolError, match=f"field '{key}' {expected}"):
        codec.decode_publication(with_body(frames, body))


def test_string_longer_than_the_limit_is_rejected() -> None:
    frames = heartbeat_frames()
    body = body_of(frames)
    body["instance"] = "x" * (MAX_STRING_CHARS + 1)
    with pytest.raises(ProtocolError, match=f"'instance' longer than {MAX_STRING_CHARS}"):
        codec.decode_publication(with_body(frames, body))
    body["instance"] = "x" * MAX_STRING_CHARS
    assert codec.decode_publication(with_body(frames, body)).instance == body["instance"]


@pytest.mark.parametrize("key", ["ch", "ts", "val", "q"])
@pytest.mark.parametrize("delta", [-1, 1])
def test_array_whose_byte_length_does_not_match_n_is_rejected(key: str, delta: int) -> None:
    frames = telemetry_frames(4)
    body = body_of(frames)
    body[key] = body[key][:-1] if delta < 0 else body[key] + b"\x00"
    with pytest.raises(ProtocolError, match=f"field '{key}' holds .* bytes, expected 4 x"):
        codec.decode_publication(with_body(frames, body))


def test_n_larger_than_the_arrays_is_rejected() -> None:
    frames = telemetry_frames(4)
    body = body_of(frames)
    body["n"] = 5
    with pytest.raises(ProtocolError, match="field 'ch' holds 16 bytes, expected 5 x 4"):
        codec.decode_publication(with_body(frames, body))


@pytest.mark.parametrize("n", [-1, MAX_BATCH_SAMPLES + 1, 2**64 - 1, -(2**63)])
def test_n_negative_or_over_the_batch_limit_is_rejected(n: int) -> None:
    frames = telemetry_frames(4)
    body = body_of(frames)
    body["n"] = n
    with pytest.raises(ProtocolError, match=f"n={n} outside 0..{MAX_BATCH_SAMPLES}"):
        codec.decode_publication(with_body(frames, body))


def test_publication_body_over_the_frame_limit_is_rejected() -> None:
    with pytest.raises(ProtocolError, match=f"exceeds the {MAX_FRAME_BYTES} limit"):
        codec.decode_publication([b"tel.gas", bytes(MAX_FRAME_BYTES + 1)])


def test_request_over_the_request_limit_is_rejected() -> None:
    big = codec.encode_request(Request(id="r", op="hello", args={"pad": "x" * MAX_REQUEST_BYTES}))
    with pytest.raises(ProtocolError, match=f"request: body of .* exceeds the {MAX_REQUEST_BYTES}"):
        codec.decode_request(big)


def test_reply_over_the_reply_limit_is_rejected() -> None:
    with pytest.raises(ProtocolError, match=f"reply: body of .* exceeds the {MAX_REPLY_BYTES}"):
        codec.decode_reply(bytes(MAX_REPLY_BYTES + 1))


@pytest.mark.parametrize("level", [0, 5, -1])
def test_alarm_level_outside_one_to_four_is_rejected(level: int) -> None:
    wire = codec.alarm_to_wire(make_alarm())
    wire["level"] = level
    with pytest.raises(ProtocolError, match=f"level {level} outside 1..4"):
        codec.alarm_from_wire(wire)


@pytest.mark.parametrize("state", ["cleared", "UNACK", "", "active"])
def test_unknown_alarm_state_is_rejected(state: str) -> None:
    wire = codec.alarm_to_wire(make_alarm())
    wire["state"] = state
    with pytest.raises(ProtocolError, match=f"unknown state {state!r}"):
        codec.alarm_from_wire(wire)


def test_every_alarm_state_on_the_wire_decodes() -> None:
    for state in AlarmState:
        wire = codec.alarm_to_wire(make_alarm(state=state))
        assert codec.alarm_from_wire(wire).state is state


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"id": 1}, "field 'id' is int, expected str"),
        ({"op": None}, "field 'op' is NoneType, expected str"),
        ({"args": [1]}, "field 'args' is list, expected dict"),
        ({"user": 5}, "field 'user' is int, expected str"),
        ({"v": 2}, "protocol version 2"),
    ],
)
def test_malformed_request_is_rejected_by_name(change: dict[str, Any], expected: str) -> None:
    body = msgpack.unpackb(codec.encode_request(Request(id="r1", op="hello")))
    body.update(change)
    with pytest.raises(ProtocolError, match=f"request: {expected}"):
        codec.decode_request(msgpack.packb(body))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ok": 1}, "field 'ok' is int, expected bool"),
        ({"id": None}, "field 'id' is NoneType, expected str"),
        ({"error": 404}, "field 'error' is int, expected str"),
    ],
)
def test_malformed_reply_is_rejected_by_name(change: dict[str, Any], expected: str) -> None:
    body = msgpack.unpackb(codec.encode_reply(Reply(id="r1", ok=False, error="no")))
    body.update(change)
    with pytest.raises(ProtocolError, match=f"reply: {expected}"):
        codec.decode_reply(msgpack.packb(body))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([1, 2], "samples are list, expected a map"),
        ({"n": 1, "ch": b"", "ts": b"", "val": b"", "q": b""}, "field 'ch' holds 0 bytes"),
        ({"n": -1, "ch": b"", "ts": b"", "val": b"", "q": b""}, "n=-1 out of range"),
        ({"ch": b"", "ts": b"", "val": b"", "q": b""}, "missing field 'n'"),
    ],
)
def test_malformed_packed_samples_are_rejected(raw: Any, expected: str) -> None:
    with pytest.raises(ProtocolError, match=expected):
        codec.unpack_samples(raw)


# --- truncation and fuzzing -------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(VALID_PUBLICATIONS))
def test_every_truncation_of_a_valid_publication_is_rejected(kind: str) -> None:
    topic, data = VALID_PUBLICATIONS[kind]()
    for cut in range(len(data)):
        with pytest.raises(ProtocolError):
            codec.decode_publication([topic, data[:cut]])


@pytest.mark.parametrize("encoded", ["request", "reply"])
def test_every_truncation_of_a_request_or_reply_is_rejected(encoded: str) -> None:
    if encoded == "request":
        decode = codec.decode_request
        data = codec.encode_request(Request(id="r1", op="ack", args={"alarm": "A"}, user="u"))
    else:
        decode = codec.decode_reply
        data = codec.encode_reply(Reply(id="r1", ok=True, result={"seq": 1, "alarms": []}))
    for cut in range(len(data)):
        with pytest.raises(ProtocolError):
            decode(data[:cut])


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    how = rng.randrange(4)
    if how == 0:  # flip bytes
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif how == 1:  # truncate
        del out[rng.randrange(len(out)) :]
    elif how == 2:  # append
        out += rng.randbytes(rng.randint(1, 16))
    else:  # splice random bytes in place of a few
        at = rng.randrange(len(out))
        out[at : at + rng.randint(0, 3)] = rng.randbytes(rng.randint(0, 3))
    return bytes(out)


def test_randomly_mutated_publications_decode_or_raise_protocol_error_only() -> None:
    rng = random.Random(20260101)
    originals = [make() for make in VALID_PUBLICATIONS.values()] + [telemetry_frames(1)]
    topics = [b"tel.gas", b"alm", b"hb", b"tel.", b"al", b"hb\x00", b"tel.\xff"]
    outcomes = {"decoded": 0, "rejected": 0}
    for _ in range(5000):
        topic, data = rng.choice(originals)
        if rng.random() < 0.1:
            topic = rng.choice(topics)
        try:
            codec.decode_publication([topic, mutate(data, rng)])
            outcomes["decoded"] += 1
        except ProtocolError:
            outcomes["rejected"] += 1
    assert outcomes["rejected"] > 2500  # the mutations really break frames
    assert outcomes["decoded"] > 0  # and some (e.g. a flipped value byte) stay valid


def test_randomly_mutated_requests_and_replies_raise_protocol_error_only() -> None:
    rng = random.Random(212)
    request = codec.encode_request(
        Request(id="r1", op="history", args={"channels": [1, 2], "t0": 0, "t1": T0_US})
    )
    reply = codec.encode_reply(
        Reply(id="r1", ok=True, result={"samples": codec.pack_samples(*random_arrays(8))})
    )
    for _ in range(2000):
        for decode, data in ((codec.decode_request, request), (codec.decode_reply, reply)):
            with contextlib.suppress(ProtocolError):  # anything else fails the test
                decode(mutate(data, rng))


def test_body_of_wrong_python_type_is_rejected() -> None:
    with pytest.raises(ProtocolError, match="body is str, expected bytes"):
        codec.decode_publication([b"hb", "not bytes"])  # type: ignore[list-item]
    with pytest.raises(ProtocolError, match="body is NoneType"):
        codec.decode_reply(None)  # type: ignore[arg-type]


def test_protocol_version_constant_is_one() -> None:
    assert PROTOCOL_VERSION == 1
    assert body_of(heartbeat_frames())["v"] == 1


def test_telemetry_header_reads_seq_and_n_whatever_order_the_fields_come_in():
    from backend_client.codec import telemetry_header

    frames = codec.encode_telemetry(
        "gas", 7, np.arange(3), np.arange(3, dtype=np.int64), np.ones(3), np.zeros(3)
    )
    assert telemetry_header(frames) == ("gas", 7, 3)
    body = msgpack.unpackb(frames[1])
    arrays_first = {k: body[k] for k in ("ch", "ts", "val", "q", "v", "n", "seq")}
    assert telemetry_header([frames[0], msgpack.packb(arrays_first)]) == ("gas", 7, 3)
