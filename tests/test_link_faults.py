"""Link faults against a real backend process: killed, restarted, paused, and a lost alarm frame.

The backend runs as `python -m simulator` on fixed loopback ports with a state file, so a
restart is the same backend coming back where the console already points.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import zmq

from backend_client.city import city_from_dict
from backend_client.client import BackendClient, ClientConfig, Identity, RequestError
from backend_client.codec import alarm_from_wire, decode_reply, encode_request
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmRecord, AlarmState, LinkState, Op, Request
from simulator.server import SimServer
from tests.scripted_backend import wait_for
from tests.test_closed_loop_server import CITY, RED, YELLOW

_ids = count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Backend:
    """`python -m simulator` as a child process that a test can kill, restart and pause."""

    def __init__(self, tmp: Path) -> None:
        self.city = tmp / "city.json"
        self.city.write_text(json.dumps(CITY), encoding="utf-8")
        self.state = tmp / "state.sqlite"
        self.pub = f"tcp://127.0.0.1:{_free_port()}"
        self.rpc = f"tcp://127.0.0.1:{_free_port()}"
        self.proc: subprocess.Popen | None = None
        self.instance = ""

    def start(self) -> None:
        args = ["--city", str(self.city), "--pub", self.pub, "--rpc", self.rpc]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", *args, "--state-db", str(self.state)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline()
        assert line.startswith("LIFELINE-SIM READY "), f"backend did not start: {line!r}"
        self.instance = json.loads(line.split(" ", 2)[2])["instance"]

    def signal(self, signum: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signum)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        self.proc.wait(5)

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(5)


class Desk:
    """A raw DEALER: asks the backend directly what it holds."""

    def __init__(self, ctx: zmq.Context, rpc: str) -> None:
        self.sock = ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(rpc)

    def call(self, op: str, **args: Any) -> Any:
        request = Request(f"desk-{next(_ids)}", op, args, "lin", "supervisor", "desk-9")
        self.sock.send(encode_request(request))
        while True:
            assert self.sock.poll(5000), f"no reply to {op}"
            reply = decode_reply(self.sock.recv())
            if reply.id == request.id:
                assert reply.ok, reply.error
                return reply.result

    def book(self) -> dict[str, AlarmRecord]:
        return {raw["id"]: alarm_from_wire(raw) for raw in self.call("alarms")["alarms"]}


@pytest.fixture
def ctx() -> Iterator[zmq.Context]:
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    proc = Backend(tmp_path)
    proc.start()
    yield proc
    proc.close()


@pytest.fixture
def console(backend: Backend, ctx: zmq.Context) -> Iterator[tuple[ConsoleModel, BackendClient]]:
    model = ConsoleModel(buffer_capacity=256)
    config = ClientConfig(pub=backend.pub, rpc=backend.rpc, request_timeout_s=4.0)
    client = BackendClient(model, config, Identity("lin", "supervisor", "desk-1"), ctx)
    client.start()
    assert wait_for(lambda: model.link == LinkState.LIVE, 15), "never went live"
    assert wait_for(lambda: {RED, YELLOW} <= set(_book(model)), 10), "alarms never arrived"
    yield model, client
    client.stop()


def _book(model: ConsoleModel) -> dict[str, AlarmRecord]:
    return {k: v for k, v in model.alarms.changes_since(None).alarms.items() if v is not None}


def _time_until(condition, timeout: float) -> float | None:
    start = time.monotonic()
    if wait_for(condition, timeout):
        return time.monotonic() - start
    return None


def test_a_killed_backend_shows_stale_within_three_seconds_then_down_then_live_on_restart(
    backend, console, ctx
):
    model, _client = console
    reconnects = model.stats.reconnects
    backend.kill()
    stale_after = _time_until(lambda: model.link == LinkState.STALE, 6)
    assert stale_after is not None and stale_after <= 3.0, stale_after
    assert wait_for(lambda: model.link == LinkState.DOWN, 12), model.link
    backend.start()
    assert wait_for(lambda: model.link == LinkState.LIVE, 15), model.link
    assert model.stats.reconnects > reconnects
    desk = Desk(ctx, backend.rpc)
    assert wait_for(lambda: _book(model) == desk.book(), 5), (_book(model), desk.book())


def test_a_restarted_backend_is_followed_on_its_own_and_alarms_resync_from_its_snapshot(
    backend, console, ctx
):
    model, client = console
    Desk(ctx, backend.rpc).call("ack", alarm=YELLOW, comment="seen", cmd="before-kill")
    backend.kill()
    assert wait_for(lambda: model.link == LinkState.STALE, 5)
    old = backend.instance
    backend.start()
    assert backend.instance != old
    assert wait_for(lambda: client._instance == backend.instance, 20), "never followed"
    assert wait_for(lambda: model.link == LinkState.LIVE, 10), model.link
    desk = Desk(ctx, backend.rpc)
    assert wait_for(lambda: _book(model) == desk.book(), 5), (_book(model), desk.book())
    assert _book(model)[YELLOW].state == AlarmState.ACKED  # kept by the backend's state file


def test_a_paused_backend_shows_stale_then_live_again_on_resume(backend, console):
    model, _client = console
    resyncs = model.stats.resyncs
    backend.signal(signal.SIGSTOP)
    try:
        assert wait_for(lambda: model.link == LinkState.STALE, 5), model.link
    finally:
        backend.signal(signal.SIGCONT)
    assert wait_for(lambda: model.link == LinkState.LIVE, 5), model.link
    assert model.stats.resyncs == resyncs  # same instance, nothing missed: no snapshot needed


def test_an_ack_sent_while_the_backend_is_paused_is_confirmed_once_after_resume(
    backend, console, ctx
):
    model, client = console
    backend.signal(signal.SIGSTOP)
    try:
        pending = client.acknowledge(RED, "sent while paused")
        time.sleep(1.0)
        assert not pending.done()
    finally:
        backend.signal(signal.SIGCONT)
    result = pending.result(timeout=5)
    assert result["alarm"]["state"] == "acked"
    assert wait_for(lambda: _book(model)[RED].state == AlarmState.ACKED, 5)
    steps = Desk(ctx, backend.rpc).book()[RED].steps
    assert [s.action for s in steps] == ["ack"] and steps[0].note == "sent while paused"


def test_an_ack_that_timed_out_while_paused_applies_once_when_retried_with_its_command_id(
    backend, console, ctx
):
    model, client = console
    args = {"alarm": RED, "comment": "retry me", "cmd": "cmd-retry-1"}
    backend.signal(signal.SIGSTOP)
    try:
        first = client.request(Op.ACK, args)
        with pytest.raises(RequestError, match="did not answer"):
            first.result(timeout=8)  # request_timeout_s is 4 s
    finally:
        backend.signal(signal.SIGCONT)
    retry = client.request(Op.ACK, args).result(timeout=5)  # the backend ran the first already
    assert retry["alarm"]["state"] == "acked"
    steps = Desk(ctx, backend.rpc).book()[RED].steps
    assert [s.action for s in steps] == ["ack"], steps
    assert wait_for(lambda: model.link == LinkState.LIVE, 5)


class LossyServer(SimServer):
    """A backend whose next alarm change is not published, as if lost on the network."""

    drop_next = False

    def publish_alarm(self, change) -> None:
        if self.drop_next:
            self.drop_next = False
            self.stats.alarm_changes += 1
            return
        super().publish_alarm(change)


def test_a_lost_alarm_frame_is_healed_by_a_snapshot_resync(tmp_path, ctx):
    server = LossyServer(city_from_dict(CITY), state_db=tmp_path / "s.sqlite")
    server.start()
    model = ConsoleModel(buffer_capacity=64)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = BackendClient(model, config, Identity("lin", "supervisor", "desk-1"), ctx)
    client.start()
    try:
        assert wait_for(lambda: RED in _book(model), 15)
        resyncs = model.stats.resyncs
        server.drop_next = True
        Desk(ctx, server.rpc_endpoint).call("ack", alarm=RED, comment="lost", cmd="gap-1")
        assert wait_for(lambda: _book(model)[RED].state == AlarmState.ACKED, 5)
        assert model.stats.resyncs > resyncs
        assert _book(model) == Desk(ctx, server.rpc_endpoint).book()
    finally:
        client.stop()
        server.stop()
