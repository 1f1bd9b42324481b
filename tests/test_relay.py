"""One backend, one relay, several consoles: real ZeroMQ on loopback, the real simulator.

The city's two methane detectors exceed their limits on the first tick (as in
test_closed_loop_server.py), so their alarms are there without a scenario.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zmq

from backend_client.city import City, city_from_dict
from backend_client.client import BackendClient, ClientConfig, Identity, RequestError
from backend_client.codec import decode_reply, encode_request
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState, LinkState, Request
from backend_client.relay import Relay, RelayConfig
from backend_client.relay_cli import READY_PREFIX
from simulator.server import SimServer
from tests.scripted_backend import wait_for
from tests.test_closed_loop_server import CITY as LOOP_CITY
from tests.test_closed_loop_server import RED, YELLOW

LOOPBACK = "tcp://127.0.0.1:*"
# the closed-loop test's city, its sensors in area A1 so interest subscriptions can select them
CITY = {
    **LOOP_CITY,
    "name": "Relay test",
    "sensors": [{**sensor, "area": "A1"} for sensor in LOOP_CITY["sensors"]],
}


@pytest.fixture(scope="module")
def city() -> City:
    return city_from_dict(CITY)


@pytest.fixture
def server(city: City, tmp_path: Path) -> Iterator[SimServer]:
    srv = SimServer(city, state_db=tmp_path / "state.sqlite")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def relay(server: SimServer) -> Iterator[Relay]:
    config = RelayConfig(
        backend_pub=(server.pub_endpoint,),
        backend_rpc=server.rpc_endpoint,
        pub=LOOPBACK,
        rpc=LOOPBACK,
    )
    with Relay(config) as r:
        r.start()
        yield r


class Seats:
    """Headless consoles (BackendClient + ConsoleModel) attached to the relay."""

    def __init__(self, relay: Relay) -> None:
        self.config = ClientConfig(pub=relay.pub_endpoint, rpc=relay.rpc_endpoint)
        self.models: list[ConsoleModel] = []
        self.clients: list[BackendClient] = []

    def add(self, user: str, role: str, host: str) -> tuple[ConsoleModel, BackendClient]:
        model = ConsoleModel(buffer_capacity=64)
        client = BackendClient(model, self.config, Identity(user, role, host))
        client.start()
        self.models.append(model)
        self.clients.append(client)
        return model, client

    def stop(self) -> None:
        for client in self.clients:
            client.stop()


@pytest.fixture
def seats(relay: Relay) -> Iterator[Seats]:
    s = Seats(relay)
    yield s
    s.stop()


def book(model: ConsoleModel) -> dict[str, tuple[str, str | None, int]]:
    """What an operator sees of each alarm: state, who acknowledged it, how many steps."""
    return {
        a: (r.state, r.ack_user, len(r.steps))
        for a in (RED, YELLOW)
        if (r := model.alarms.get(a)) is not None
    }


def test_three_consoles_through_one_relay_share_alarm_state_and_each_others_acks(
    server: SimServer, relay: Relay, seats: Seats
) -> None:
    (m1, desk1), (m2, desk2), (m3, desk3) = (
        seats.add("zhang.min", "supervisor", "desk-1"),
        seats.add("li.wei", "operator", "desk-2"),
        seats.add("wall", "wall", "wall-1"),
    )
    models = [m1, m2, m3]
    assert wait_for(lambda: all(m.link == LinkState.LIVE for m in models), 10)
    assert wait_for(lambda: all(len(book(m)) == 2 for m in models))
    assert book(m1) == book(m2) == book(m3)
    assert wait_for(lambda: all(m.stats.samples > 0 for m in models)), "telemetry fans out"

    desk1.acknowledge(RED, "gas confirmed on CCTV").result(timeout=5)
    desk2.acknowledge(YELLOW).result(timeout=5)
    acked = {RED: (AlarmState.ACKED, "zhang.min", 1), YELLOW: (AlarmState.ACKED, "li.wei", 1)}
    assert wait_for(lambda: all(book(m) == acked for m in models), 2.0), [book(m) for m in models]
    assert m3.alarms.get(RED).steps[0].host == "desk-1", "the backend saw which desk acked"
    with pytest.raises(RequestError, match="read-only"):  # the wall's own client refuses
        desk3.acknowledge(RED, "from the wall").result(timeout=5)
    with pytest.raises(RequestError, match="may not ack a level I"):  # the backend's refusal
        desk2.acknowledge(RED, "an operator on level I").result(timeout=5)  # comes back through
    assert len({m.alarms.seq for m in models}) == 1, "every seat is at the same alarm seq"

    stats = relay.stats()
    assert stats.requests >= 3 * 3 + 2 and stats.replies == stats.requests
    assert stats.publications > 0


def test_a_reply_returns_to_the_console_that_asked_and_to_no_other(
    server: SimServer, relay: Relay
) -> None:
    ctx = zmq.Context()
    try:
        desks = [ctx.socket(zmq.DEALER) for _ in range(3)]
        for desk in desks:
            desk.connect(relay.rpc_endpoint)
        before = server.stats.requests
        # the same request id on every desk: only the relay's routing keeps the replies apart
        for k, desk in enumerate(desks):
            desk.send(encode_request(Request("same-1", f"nosuchop{k}", {}, "u", "operator", "h")))
        for k, desk in enumerate(desks):
            assert desk.poll(5000), f"desk {k} got no reply"
            reply = decode_reply(desk.recv())
            assert (reply.id, reply.ok, reply.error) == (
                "same-1",
                False,
                f"unknown op 'nosuchop{k}'",
            )
        time.sleep(0.3)
        assert not any(desk.poll(0) for desk in desks), "a reply reached a desk twice"
        assert server.stats.requests - before == 3, "the backend saw each desk's request once"
    finally:
        ctx.destroy(linger=0)


def test_a_console_attached_late_resyncs_through_the_relay(
    server: SimServer, relay: Relay, seats: Seats
) -> None:
    m1, desk1 = seats.add("zhang.min", "supervisor", "desk-1")
    assert wait_for(lambda: m1.link == LinkState.LIVE and len(book(m1)) == 2, 10)
    desk1.acknowledge(RED, "seen").result(timeout=5)
    late, _ = seats.add("late", "operator", "desk-9")
    assert wait_for(lambda: late.link == LinkState.LIVE, 10)
    assert wait_for(lambda: book(late) == book(m1), 2.0), (book(late), book(m1))
    assert book(late)[RED][:2] == (AlarmState.ACKED, "zhang.min"), "the snapshot came through"
    assert late.stats.resyncs >= 1
    assert wait_for(lambda: late.stats.samples > 0), "its subscriptions reached the backend"


def test_relay_command_line_serves_consoles_and_exits_cleanly_on_sigterm(
    server: SimServer,
) -> None:
    cmd = [
        sys.executable, "-m", "backend_client.relay_cli",
        "--backend-pub", server.pub_endpoint, "--backend-rpc", server.rpc_endpoint,
        "--pub", LOOPBACK, "--rpc", LOOPBACK, "--stats-every", "0",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith(READY_PREFIX), line + proc.stderr.read()
        ready = json.loads(line[len(READY_PREFIX) :])
        model = ConsoleModel(buffer_capacity=64)
        client = BackendClient(model, ClientConfig(pub=ready["pub"], rpc=ready["rpc"]))
        client.start()
        try:
            assert wait_for(lambda: model.link == LinkState.LIVE and len(book(model)) == 2, 10)
        finally:
            client.stop()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert "stopped after" in err and "requests" in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_relays_chain_so_a_provincial_seat_reaches_a_city_backend_through_two(
    server: SimServer, relay: Relay
) -> None:
    outer_config = RelayConfig((relay.pub_endpoint,), relay.rpc_endpoint, LOOPBACK, LOOPBACK)
    with Relay(outer_config) as outer:
        outer.start()
        model = ConsoleModel(buffer_capacity=64)
        config = ClientConfig(outer.pub_endpoint, outer.rpc_endpoint, interests=("tunnel",))
        client = BackendClient(model, config, Identity("prov", "supervisor", "province-1"))
        client.start()
        try:
            assert wait_for(lambda: model.link == LinkState.LIVE and len(book(model)) == 2, 10)
            client.acknowledge(YELLOW, "from the province").result(timeout=5)
            assert wait_for(lambda: book(model)[YELLOW][:2] == (AlarmState.ACKED, "prov"), 2.0)
            assert wait_for(lambda: model.stats.samples > 0)
        finally:
            client.stop()
