"""The backend over real ZeroMQ on 127.0.0.1 with random ports: publications and requests."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import count, pairwise
from pathlib import Path
from typing import Any

import msgpack
import numpy as np
import pytest
import zmq

from backend_client.city import City, demo_city_path, load_city, sensor_to_dict, sensors_from_list
from backend_client.codec import (
    alarm_from_wire,
    decode_publication,
    decode_reply,
    encode_request,
    unpack_samples,
)
from backend_client.protocol import (
    AlarmChange,
    AlarmState,
    Heartbeat,
    Reply,
    Request,
    TelemetryBatch,
)
from simulator.cli import state_db_path
from simulator.history import HistoryStore
from simulator.server import SimServer

_ids = count(1)


@pytest.fixture(scope="module")
def city() -> City:
    return load_city(demo_city_path())


@pytest.fixture(scope="module")
def server(city: City) -> Iterator[SimServer]:
    srv = SimServer(city, seed=7)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def ctx() -> Iterator[zmq.Context]:
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


class Client:
    """A DEALER speaking the protocol, as the console's client does."""

    def __init__(self, ctx: zmq.Context, endpoint: str, role: str = "supervisor") -> None:
        self.sock = ctx.socket(zmq.DEALER)
        self.sock.connect(endpoint)
        self.role = role

    def send_raw(self, *frames: bytes) -> None:
        self.sock.send_multipart([b"", *frames])

    def receive(self, timeout_s: float = 5.0) -> Reply:
        assert self.sock.poll(timeout_s * 1000), "no reply from the server"
        frames = self.sock.recv_multipart()
        assert frames[0] == b"", "the envelope comes back"
        return decode_reply(frames[-1])

    def call(self, op: str, **args: Any) -> Reply:
        ident = f"r{next(_ids)}"
        request = Request(ident, op, args, user="li.wei", role=self.role, host="console-3")
        self.send_raw(encode_request(request))
        reply = self.receive()
        assert reply.id == ident
        return reply


def subscribe(ctx: zmq.Context, endpoint: str, prefix: bytes) -> zmq.Socket:
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, prefix)
    sub.connect(endpoint)
    return sub


def collect(sub: zmq.Socket, seconds: float) -> list[Any]:
    out, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        if sub.poll(50):
            out.append(decode_publication(sub.recv_multipart()))
    return out


def test_hello_describes_the_server_and_every_channel(
    server: SimServer, ctx: zmq.Context, city: City
) -> None:
    reply = Client(ctx, server.rpc_endpoint).call("hello")
    assert reply.ok
    r = reply.result
    assert (r["protocol"], r["server"], r["instance"], r["city"]) == (
        1,
        "lifeline-sim 0.1.0",
        server.instance,
        city.name,
    )
    assert abs(r["time"] - time.time() * 1e6) < 5e6
    assert isinstance(r["alarm_seq"], int)
    assert r["channels"] == [sensor_to_dict(s) for s in city.sensors]
    assert sensors_from_list(r["channels"]) == city.sensors


def test_city_request_returns_the_whole_document(
    server: SimServer, ctx: zmq.Context, city: City
) -> None:
    doc = Client(ctx, server.rpc_endpoint).call("city").result["city"]
    assert doc["format"] == "lifeline-city/1"
    assert len(doc["sensors"]) == len(city.sensors) and len(doc["tunnels"]) == len(city.tunnels)


@pytest.fixture(scope="module")
def published(server: SimServer) -> list[Any]:
    """Five seconds of everything the server publishes: every 0.2 Hz sensor speaks once."""
    context = zmq.Context()
    try:
        return collect(subscribe(context, server.pub_endpoint, b""), 5.3)
    finally:
        context.destroy(linger=0)


def test_telemetry_arrives_per_domain_with_consecutive_sequence(
    server: SimServer, published: list[Any]
) -> None:
    batches = [m for m in published if isinstance(m, TelemetryBatch)]
    topics = {b.topic for b in batches}
    assert topics == {"tunnel", "gas", "water", "drainage", "heating", "bridge"}
    for topic in topics:
        seqs = [b.seq for b in batches if b.topic == topic]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "no gaps on one topic"
    now_us = time.time() * 1e6
    for b in batches:
        assert len(b) > 0
        assert abs(int(b.times_us.max()) - now_us) < 10e6
        assert b.channels.max() < len(server.city.sensors)
    heard = {int(c) for b in batches for c in b.channels}
    assert heard == set(range(len(server.city.sensors))), "every sensor reports"


def test_heartbeat_carries_instance_and_alarm_seq(server: SimServer, published: list[Any]) -> None:
    beats = [m for m in published if isinstance(m, Heartbeat)]
    assert len(beats) >= 4
    assert all(b.instance == server.instance and b.period_ms == 1000 for b in beats)
    gaps = [b.time_us - a.time_us for a, b in pairwise(beats)]
    assert all(g == 1_000_000 for g in gaps)
    assert beats[-1].alarm_seq >= beats[0].alarm_seq


def test_acknowledge_round_trip_publishes_the_acked_record(
    server: SimServer, ctx: zmq.Context
) -> None:
    client = Client(ctx, server.rpc_endpoint)
    sub = subscribe(ctx, server.pub_endpoint, b"alm")
    time.sleep(0.2)
    started = client.call(
        "scenario", name="gas-leak", params={"zone": "T2/Z03", "rise_tau_s": 0.3, "peak_lel": 60}
    )
    assert started.ok and started.result["started"] == "gas-leak"
    alarm_id = "T2/GAS/Z03/CH4/01"
    raised = None
    end = time.monotonic() + 8
    while raised is None and time.monotonic() < end:
        for m in collect(sub, 0.2):
            if isinstance(m, AlarmChange) and m.alarm.id == alarm_id:
                raised = m
    assert raised is not None and raised.alarm.state == AlarmState.UNACK
    reply = client.call("ack", alarm=alarm_id, comment="crew dispatched", cmd="c-1")
    assert reply.ok, reply.error
    record = alarm_from_wire(reply.result["alarm"])
    assert (record.state, record.ack_user, record.ack_comment) == (
        AlarmState.ACKED,
        "li.wei",
        "crew dispatched",
    )
    assert reply.result["seq"] > raised.seq
    # at once, while it is surely still acknowledged (later the leak may clear and re-raise it)
    again = client.call("ack", alarm=alarm_id, comment="again")
    assert again.ok and again.result["seq"] >= reply.result["seq"]
    assert alarm_from_wire(again.result["alarm"]).ack_comment == "crew dispatched", "a no-op"
    published = [m for m in collect(sub, 1.0) if isinstance(m, AlarmChange)]
    assert any(m.alarm.id == alarm_id and m.alarm.state == AlarmState.ACKED for m in published)
    retry = client.call("ack", alarm=alarm_id, comment="crew dispatched", cmd="c-1")
    assert retry.ok and alarm_from_wire(retry.result["alarm"]).ack_us == record.ack_us
    snapshot = client.call("alarms").result
    assert alarm_id in {a["id"] for a in snapshot["alarms"]}
    assert snapshot["seq"] >= reply.result["seq"]


def test_shelve_and_ack_of_unknown_alarms_get_error_replies(
    server: SimServer, ctx: zmq.Context
) -> None:
    client = Client(ctx, server.rpc_endpoint)
    reply = client.call("ack", alarm="no/such/alarm")
    assert not reply.ok and "unknown alarm 'no/such/alarm'" in reply.error
    reply = client.call("shelve", alarm="no/such/alarm", minutes=5, comment="")
    assert not reply.ok
    reply = client.call("ack")
    assert not reply.ok and "missing argument 'alarm'" in reply.error


def test_unknown_op_gets_an_error_reply(server: SimServer, ctx: zmq.Context) -> None:
    reply = Client(ctx, server.rpc_endpoint).call("frobnicate")
    assert (reply.ok, reply.error) == (False, "unknown op 'frobnicate'")


def test_garbage_frames_do_not_crash_the_server(server: SimServer, ctx: zmq.Context) -> None:
    client = Client(ctx, server.rpc_endpoint)
    before = server.stats.bad_requests
    client.send_raw(b"\xff\x00garbage")
    client.send_raw(msgpack.packb([1, 2, 3]))
    client.send_raw(b"two", b"bodies")
    client.sock.send_multipart([b"no delimiter at all"])
    client.send_raw(msgpack.packb({"v": 99, "id": "old-client", "op": "hello"}))
    reply = client.receive()
    assert (reply.id, reply.ok) == ("old-client", False)
    assert "protocol version" in reply.error
    assert client.call("hello").ok, "still answering"
    assert server.stats.bad_requests >= before + 3
    assert server._thread is not None and server._thread.is_alive()


def test_history_returns_recent_samples_of_asked_channels(
    server: SimServer, ctx: zmq.Context
) -> None:
    time.sleep(1.2)
    client = Client(ctx, server.rpc_endpoint)
    now = int(time.time() * 1e6)
    accel = next(i for i, s in enumerate(server.city.sensors) if s.type == "ACCEL")
    reply = client.call("history", channels=[0, accel], t0=now - 60_000_000, t1=now + 1_000_000)
    assert reply.ok, reply.error
    samples = unpack_samples(reply.result["samples"])
    assert set(samples.channels.tolist()) == {0, accel}
    assert (samples.channels == accel).sum() > 5 * (samples.channels == 0).sum()
    assert samples.times_us.min() >= now - 60_000_000
    bad = client.call("history", channels=[10**6], t0=0, t1=1)
    assert not bad.ok and "channels" in bad.error


def test_history_ring_keeps_the_latest_samples_and_excludes_t1() -> None:
    store = HistoryStore([1.0, 10.0], span_s=5.0)  # capacities 5 and 50
    for k in range(20):
        channels = np.array([0, 1, 1])  # channel 1 twice per call, in time order
        times = np.array([k * 10, k * 10, k * 10 + 5])
        store.append(channels, times, times.astype(float), np.zeros(3, dtype=np.uint8))
    ch, ts, val, _q = store.query([0, 1], 0, 10**9)
    assert ts[ch == 0].tolist() == [150, 160, 170, 180, 190], "oldest samples overwritten"
    assert ts[ch == 1].tolist() == sorted(ts[ch == 1].tolist()) and (ch == 1).sum() == 40
    assert val.tolist() == ts.astype(float).tolist()
    assert store.query([0], 150, 170)[1].tolist() == [150, 160], "t1 is exclusive"
    with pytest.raises(ValueError, match="limit 3"):
        store.query([0, 1], 0, 10**9, max_samples=3)


def test_scenarios_op_lists_names_and_rejects_unknown_ones(
    server: SimServer, ctx: zmq.Context
) -> None:
    client = Client(ctx, server.rpc_endpoint)
    listed = client.call("scenarios").result["scenarios"]
    assert [s["name"] for s in listed][:1] == ["gas-leak"]
    assert all({"name", "title", "description"} <= set(s) for s in listed)
    reply = client.call("scenario", name="meteor-strike")
    assert not reply.ok and "unknown scenario" in reply.error


def test_cli_prints_ready_line_then_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "--pub",
            "tcp://127.0.0.1:*",
            "--rpc",
            "tcp://127.0.0.1:*",
            "--state-db",
            str(tmp_path / "state.sqlite"),
            "--scenario",
            "bridge-overload@5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        prefix, _, payload = line.partition(" READY ")
        assert prefix == "LIFELINE-SIM"
        ready = json.loads(payload)
        assert set(ready) == {"pub", "rpc", "instance"}
        assert ready["pub"].startswith("tcp://127.0.0.1:") and not ready["pub"].endswith("*")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert (tmp_path / "state.sqlite").exists(), "the alarm state file is created"
    finally:
        proc.kill()
        proc.wait()


def test_default_state_file_lives_under_xdg_state_home_named_for_the_city(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, city: City
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert state_db_path(None, city) == tmp_path / "lifeline-sim" / "Lifeline-demo-district.sqlite"
    assert state_db_path(":memory:", city) is None
    assert state_db_path("x/alarms.db", city) == Path("x/alarms.db")
