"""Seeded malformed publications and requests, and the harness that feeds them to a live client.

Shared by tests/test_fuzz_client.py (CI length) and bench/bench_fuzz.py (100,000 frames and more).
Every bad frame is generated from a valid one or from nothing by a seeded RNG, so a failure
reproduces from its seed.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import msgpack
import numpy as np
import zmq

from backend_client.client import BackendClient, ClientConfig
from backend_client.codec import (
    ProtocolError,
    UnknownMessageError,
    decode_publication,
    decode_reply,
    decode_request,
    encode_alarm_change,
    encode_request,
    encode_telemetry,
)
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import (
    MAX_FRAME_BYTES,
    MAX_REQUEST_BYTES,
    MAX_STRING_CHARS,
    AlarmChange,
    AlarmRecord,
    AlarmState,
    LinkState,
    Request,
)
from simulator.server import SimServer
from tests.scripted_backend import ScriptedBackend, wait_for

T_VALID = 1_800_000_000_000_000  # valid samples live here, on VALID_CHANNEL ...
T_JUNK = 1_700_000_000_000_000  # ... the frames that get mutated far away, on JUNK_CHANNEL
VALID_CHANNEL, JUNK_CHANNEL = 1, 3
SUBSCRIBED = (b"tel.", b"alm", b"hb")
BURST = 200  # bad frames between two valid ones: under the client's in-order drain (256)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Flip, truncate, extend or splice a few bytes."""
    out = bytearray(data)
    how = rng.randrange(4)
    if how == 0:
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif how == 1:
        del out[rng.randrange(len(out)) :]
    elif how == 2:
        out += rng.randbytes(rng.randint(1, 16))
    else:
        at = rng.randrange(len(out))
        out[at : at + rng.randint(0, 3)] = rng.randbytes(rng.randint(0, 3))
    return bytes(out)


def _junk_alarm() -> AlarmRecord:
    return AlarmRecord("S2", 2, "S2", 2, AlarmState.UNACK, True, 9.5, 8.0, T_JUNK, T_JUNK, "high")


def _bases() -> list[list[bytes]]:
    """Valid frames to mutate: telemetry far from the valid samples, and an alarm change whose
    seq is so high that, should a mutation leave it valid, it only causes a resync."""
    n = 8
    tel = encode_telemetry(
        "gas",
        7,
        np.full(n, JUNK_CHANNEL),
        T_JUNK + np.arange(n),
        np.arange(n, dtype=np.float32),
        np.zeros(n),
    )
    return [tel, encode_alarm_change(AlarmChange(2**40, _junk_alarm()))]


def _wrong_types(rng: random.Random) -> list[bytes]:
    """Well-formed msgpack with a field of the wrong type, a missing field or a huge count."""
    pick = rng.randrange(10)
    tel = {"v": 1, "seq": 1, "n": 1, "ch": b"\0" * 4, "ts": b"\0" * 8, "val": b"\0" * 4, "q": b"\0"}
    if pick == 0:
        tel["seq"] = "1"
    elif pick == 1:
        tel["n"] = 1.0
    elif pick == 2:
        tel["ch"] = [0]
    elif pick == 3:
        tel["v"] = True
    elif pick == 4:
        tel["n"] = 10**9  # declares far more samples than the arrays hold
    elif pick == 5:
        del tel[rng.choice(list(tel))]
    elif pick == 6:
        return [b"hb", msgpack.packb({"v": 1, "t": "now", "instance": 5, "alarm_seq": 1})]
    elif pick == 7:
        return [b"alm", msgpack.packb({"v": 1, "seq": 1, "alarm": {"id": 3, "level": 9}})]
    elif pick == 8:
        return [b"tel.gas", msgpack.packb(rng.choice([[1, 2], 5, "x", None, b"\0"]))]
    else:
        tel["text"] = "x" * (MAX_STRING_CHARS + 1)
        tel["seq"] = "y" * (MAX_STRING_CHARS + 1)
    return [b"tel.gas", msgpack.packb(tel, use_bin_type=True)]


# msgpack headers that declare far more than follows: bin32, str32, array32, map32
HUGE_HEADERS = (
    b"\xc6\x7f\xff\xff\xff",
    b"\xdb\xff\xff\xff\xf0",
    b"\xdd\xff\xff\xff\xff",
    b"\xdf\x7f\xff\xff\xff",
)


def bad_frames(count: int, seed: int, oversized: int = 2) -> Iterator[list[bytes]]:
    """count malformed, truncated, oversized and wrong-typed publications (some of which a
    mutation leaves valid, as on a real wire: the client must decode those, not count them)."""
    rng = random.Random(seed)
    bases = _bases()
    big_at = {rng.randrange(count) for _ in range(oversized)}
    for i in range(count):
        if i in big_at:
            yield [b"tel.gas", b"\x80" + bytes(MAX_FRAME_BYTES)]
            continue
        kind = rng.random()
        if kind < 0.45:
            topic, body = rng.choice(bases)
            if rng.random() < 0.1:
                topic = rng.choice([b"tel.gas", b"alm", b"hb", b"tel.", b"hb\x00", b"tel.\xff"])
            yield [topic, mutate(body, rng)]
        elif kind < 0.55:
            topic, body = rng.choice(bases)
            yield [topic, body[: rng.randrange(len(body))]]
        elif kind < 0.65:
            yield [rng.choice(SUBSCRIBED) + b"gas", rng.randbytes(rng.randint(0, 64))]
        elif kind < 0.72:
            yield [rng.choice([b"almanac", b"hbx", b"tel." + b"a" * 200, b"hb\xff", b"x"]), b"\x80"]
        elif kind < 0.80:
            parts = rng.choice([1, 3, 4])
            topic, body = rng.choice(bases)
            yield [topic, body, *[rng.randbytes(4) for _ in range(parts - 2)]][:parts]
        elif kind < 0.88:
            yield [rng.choice([b"tel.gas", b"alm", b"hb"]), rng.choice(HUGE_HEADERS) + b"\0" * 8]
        else:
            yield _wrong_types(rng)


def expected_outcome(frames: list[bytes]) -> str:
    """What the client must make of one publication: filtered, malformed, unknown or valid."""
    if not frames[0].startswith(SUBSCRIBED):
        return "filtered"
    try:
        decode_publication(frames)
    except UnknownMessageError:
        return "unknown"
    except ProtocolError:
        return "malformed"
    return "valid"


class LogCounter(logging.Handler):
    """Counts what the client logs, to show the log does not flood."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1


@dataclass
class ClientFuzzOutcome:
    """What was sent and what the client made of it."""

    sent: Counter = field(default_factory=Counter)
    valid_sent: int = 0
    valid_arrived: int = 0
    malformed: int = 0
    unknown: int = 0
    log_records: int = 0
    link: LinkState = LinkState.CONNECTING
    thread_alive: bool = False
    alarms_ok: bool = False
    seconds: float = 0.0
    bad_frames: int = 0


def run_client_fuzz(count: int, seed: int = 1) -> ClientFuzzOutcome:
    """Feed count bad publications, a valid sample after every BURST of them and a valid alarm
    now and then, to a BackendClient over loopback; report what arrived and what was counted."""
    backend = ScriptedBackend()
    model = ConsoleModel(buffer_capacity=count // BURST + 64)
    client = BackendClient(model, ClientConfig(pub=backend.pub_endpoint, rpc=backend.rpc_endpoint))
    counter = LogCounter()
    logger = logging.getLogger("backend_client.client")
    logger.addHandler(counter)
    out = ClientFuzzOutcome(bad_frames=count)
    client.start()
    try:
        if not wait_for(lambda: model.link == LinkState.LIVE, 10):
            raise RuntimeError("the client never went live")
        start = time.perf_counter()
        burst: list[list[bytes]] = []
        for frames in bad_frames(count, seed):
            out.sent[expected_outcome(frames)] += 1
            burst.append(frames)
            if len(burst) == BURST:
                _send_burst(backend, burst, out, model)
                burst = []
        _send_burst(backend, burst, out, model)
        out.seconds = time.perf_counter() - start
        for channel in range(3):  # and the alarm stream is still right: a last valid change
            backend.raise_alarm(channel)
        out.alarms_ok = wait_for(
            lambda: all(model.alarms.get(f"S{c}") is not None for c in range(3)), 5
        )
        got = model.buffers.series(VALID_CHANNEL)
        valid = set(T_VALID + np.arange(out.valid_sent))
        out.valid_arrived = len(valid & set(got.times_us.tolist()))
        out.malformed, out.unknown = model.stats.malformed, model.stats.unknown
        out.link = model.link
        out.thread_alive = client._thread is not None and client._thread.is_alive()
    finally:
        logger.removeHandler(counter)
        client.stop()
        backend.close()
    out.log_records = counter.records
    return out


def _send_burst(
    backend: ScriptedBackend, burst: list[list[bytes]], out: ClientFuzzOutcome, model: ConsoleModel
) -> None:
    """Send a burst then a valid sample, and wait until that sample arrived (ZeroMQ keeps one
    connection's order, so the whole burst was handled by then)."""
    k = out.valid_sent
    valid = encode_telemetry(
        "gas",
        k,
        np.array([VALID_CHANNEL]),
        np.array([T_VALID + k]),
        np.array([float(k)]),
        np.zeros(1),
    )
    with backend._lock:  # the backend's thread sends heartbeats on the same socket
        for frames in burst:
            backend.send(frames)
        backend.send(valid)
    out.valid_sent += 1
    series = model.buffers.series
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        times = series(VALID_CHANNEL).times_us
        if times.size and times[-1] == T_VALID + k:
            return
        time.sleep(0.0005)


# --- requests -------------------------------------------------------------------------------


def bad_requests(count: int, seed: int) -> Iterator[list[bytes]]:
    """count bad request messages (as a DEALER sends them: body last) from a seeded RNG."""
    rng = random.Random(seed)
    valid = encode_request(
        Request("r1", "history", {"channels": [0, 1], "t0": 0, "t1": 10}, "u", "operator", "h")
    )
    ack = encode_request(Request("r2", "ack", {"alarm": "X", "cmd": "c"}, "u", "operator", "h"))
    for i in range(count):
        kind = rng.random()
        if i % 5000 == 4999:
            yield [b"\x80" + bytes(MAX_REQUEST_BYTES)]  # over the request limit (not MAXMSGSIZE)
        elif kind < 0.5:
            yield [mutate(rng.choice([valid, ack]), rng)]
        elif kind < 0.6:
            yield [rng.randbytes(rng.randint(0, 64))]
        elif kind < 0.7:
            yield [rng.choice(HUGE_HEADERS) + b"\0" * 8]
        elif kind < 0.8:
            yield [b"", b"x", mutate(valid, rng)]  # extra envelope parts
        else:
            body = {"v": 1, "id": "w", "op": "alarms", "args": {}, "user": "u", "role": "r"}
            field_ = rng.choice(list(body))
            body[field_] = rng.choice([5, 1.5, [1], {"a": 1}, None, True, "x" * 5000])
            yield [msgpack.packb(body)]


@dataclass
class BackendFuzzOutcome:
    """What was sent to the backend's ROUTER and what it made of it."""

    sent: int = 0
    expected_bad: int = 0
    bad_counted: int = 0
    error_replies: int = 0
    valid_answered: int = 0
    valid_sent: int = 0
    ticks_during: int = 0
    loop_alive: bool = False
    log_records: int = 0
    seconds: float = 0.0


def run_backend_fuzz(server: SimServer, count: int, seed: int = 99, burst: int = 100):
    """Send count bad requests from one DEALER; after every burst another DEALER asks for the
    alarms and must get them. The server must be started; the caller stops it."""
    ctx = zmq.Context()
    fuzzer, desk = ctx.socket(zmq.DEALER), ctx.socket(zmq.DEALER)
    for sock in (fuzzer, desk):
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(server.rpc_endpoint)
    counter = LogCounter()
    logger = logging.getLogger("simulator.requests")
    logger.addHandler(counter)
    out = BackendFuzzOutcome(sent=count)
    bad_before = server.stats.bad_requests
    try:
        out.valid_answered += _ask(desk, "hello-0", "hello")
        out.valid_sent += 1
        ticks = server.stats.ticks
        start = time.perf_counter()
        for i, frames in enumerate(bad_requests(count, seed)):
            out.expected_bad += _undecodable(frames[-1])
            fuzzer.send_multipart(frames)
            if i % burst == burst - 1:
                out.error_replies += _drain(fuzzer)
                out.valid_answered += _ask(desk, f"alarms-{i}", "alarms")
                out.valid_sent += 1
        out.valid_answered += _ask(desk, "hello-1", "hello")
        out.valid_sent += 1
        out.seconds = time.perf_counter() - start
        time.sleep(0.3)
        out.error_replies += _drain(fuzzer)
        out.ticks_during = server.stats.ticks - ticks
        out.loop_alive = server._thread is not None and server._thread.is_alive()
        out.bad_counted = server.stats.bad_requests - bad_before
    finally:
        logger.removeHandler(counter)
        ctx.destroy(linger=0)
    out.log_records = counter.records
    return out


def _undecodable(body: bytes) -> bool:
    try:
        decode_request(body)
    except ProtocolError:
        return True
    return False


def _ask(sock: zmq.Socket, ident: str, op: str) -> bool:
    """True when the backend answered this valid request with ok."""
    sock.send(encode_request(Request(ident, op, {}, "lin", "supervisor", "desk-1")))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if sock.poll(1000):
            reply = decode_reply(sock.recv_multipart()[-1])
            if reply.id == ident:
                return reply.ok
    return False


def _drain(sock: zmq.Socket) -> int:
    n = 0
    while sock.poll(0):
        sock.recv_multipart()
        n += 1
    return n
