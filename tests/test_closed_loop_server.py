"""Alarm workflow on a running backend: real ZeroMQ on loopback, a real SQLite state file.

The city's two methane detectors have limits their calm signal always exceeds, so their alarms
(one level I, one level III) are raised on the first tick: no scenario, no waiting.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import zmq

from backend_client.city import City, city_from_dict
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.codec import alarm_from_wire, decode_reply, encode_request
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmRecord, AlarmState, LinkState, LoopStage, Reply, Request
from simulator.server import SimServer
from tests.scripted_backend import wait_for

RED, YELLOW = "T1/GAS/Z01/CH4/01", "T1/GAS/Z02/CH4/01"
_ids = count(1)


def _sensor(ident: str, zone: str, high: list[float | None]) -> dict[str, Any]:
    return {
        "id": ident, "name": ident, "domain": "tunnel", "type": "CH4", "unit": "%LEL",
        "position": [150, 104.4, -2.8], "asset": "T1", "compartment": "T1/GAS", "zone": zone,
        "limits": {"high": high, "deadband": 1.0},
    }  # fmt: skip


CITY = {
    "format": "lifeline-city/1",
    "name": "Loop test",
    "tunnels": [
        {
            "id": "T1", "name": "Main St tunnel", "centreline": [[50, 100, -6], [450, 100, -6]],
            "width": 11.0, "height": 3.7, "owner": "Tunnel Co.",
            "compartments": [{"id": "T1/GAS", "kind": "gas", "x0": 0.0, "x1": 2.2}],
            "fire_zones": [
                {"id": "T1/Z01", "start": 0, "end": 200}, {"id": "T1/Z02", "start": 200, "end": 400}
            ],
        }
    ],
    "sensors": [
        _sensor(RED, "T1/Z01", [-100, None, None, None]),
        _sensor(YELLOW, "T1/Z02", [None, None, -100, None]),
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def city() -> City:
    return city_from_dict(CITY)


@pytest.fixture
def ctx() -> Iterator[zmq.Context]:
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


class Desk:
    """A raw DEALER with an identity: requests exactly as any program could send them."""

    def __init__(self, ctx: zmq.Context, server: SimServer, user: str, role: str) -> None:
        self.sock = ctx.socket(zmq.DEALER)
        self.sock.connect(server.rpc_endpoint)
        self.user, self.role = user, role

    def call(self, op: str, **args: Any) -> Reply:
        request = Request(f"d{next(_ids)}", op, args, self.user, self.role, "desk-9")
        self.sock.send(encode_request(request))
        assert self.sock.poll(5000), "no reply"
        reply = decode_reply(self.sock.recv())
        assert reply.id == request.id
        return reply

    def ok(self, op: str, **args: Any) -> Any:
        reply = self.call(op, **args)
        assert reply.ok, reply.error
        return reply.result

    def alarm(self, alarm_id: str) -> AlarmRecord | None:
        for raw in self.ok("alarms")["alarms"]:
            if raw["id"] == alarm_id:
                return alarm_from_wire(raw)
        return None


def start(city: City, db: Path | None) -> SimServer:
    server = SimServer(city, state_db=db)
    server.start()
    return server


@pytest.fixture
def server(city: City, tmp_path: Path) -> Iterator[SimServer]:
    srv = start(city, tmp_path / "state.sqlite")
    yield srv
    srv.stop()


def raised(desk: Desk, *alarm_ids: str) -> None:
    assert wait_for(lambda: all(desk.alarm(a) is not None for a in alarm_ids)), "never raised"


# --- role policy over the wire -------------------------------------------------------------


def test_the_wall_role_is_refused_an_acknowledgement_sent_as_a_raw_request(
    server: SimServer, ctx: zmq.Context
) -> None:
    wall = Desk(ctx, server, "wall-1", "wall")
    raised(wall, RED, YELLOW)
    for alarm in (RED, YELLOW):
        reply = wall.call("ack", alarm=alarm, comment="looks bad", cmd=f"w-{alarm}")
        assert not reply.ok
        assert reply.error == "role 'wall' is read only and may not ack"
        assert wall.alarm(alarm).state == AlarmState.UNACK


def test_an_operator_may_acknowledge_level_three_but_not_level_one(
    server: SimServer, ctx: zmq.Context
) -> None:
    operator = Desk(ctx, server, "li.wei", "operator")
    raised(operator, RED, YELLOW)
    reply = operator.call("ack", alarm=RED, comment="seen on CCTV")
    assert not reply.ok
    assert reply.error == "role 'operator' may not ack a level I alarm (allowed levels: III, IV)"
    assert operator.alarm(RED).state == AlarmState.UNACK
    record = alarm_from_wire(operator.ok("ack", alarm=YELLOW, comment="")["alarm"])
    assert (record.state, record.ack_user) == (AlarmState.ACKED, "li.wei")


def test_level_one_acknowledgement_and_shelving_need_a_comment_even_for_a_supervisor(
    server: SimServer, ctx: zmq.Context
) -> None:
    boss = Desk(ctx, server, "zhang.min", "supervisor")
    raised(boss, RED, YELLOW)
    reply = boss.call("ack", alarm=RED, comment="  ")
    assert (reply.ok, reply.error) == (False, "a comment is required to ack a level I alarm")
    reply = boss.call("shelve", alarm=YELLOW, minutes=5)
    assert (reply.ok, reply.error) == (False, "a comment is required to shelve a level III alarm")
    assert boss.ok("ack", alarm=RED, comment="confirmed")["alarm"]["state"] == "acked"


def test_an_unknown_or_missing_role_may_not_change_anything(
    server: SimServer, ctx: zmq.Context
) -> None:
    for role in ("", "janitor"):
        desk = Desk(ctx, server, "x", role)
        raised(desk, YELLOW)
        reply = desk.call("ack", alarm=YELLOW, comment="x")
        assert not reply.ok and f"role {role!r} is not in the backend's policy" in reply.error


def test_policy_op_returns_the_table_and_what_the_asking_role_may_do(
    server: SimServer, ctx: zmq.Context
) -> None:
    policy = Desk(ctx, server, "li.wei", "operator").ok("policy")
    assert policy["role"] == "operator"
    assert policy["allowed"]["ack"] == [3, 4]
    assert "suppress" not in policy["allowed"]
    assert policy["roles"]["supervisor"]["close"] == [1, 2, 3, 4]
    assert policy["roles"]["wall"] == {}
    assert policy["comment_required"]["ack"] == [1, 2]
    assert Desk(ctx, server, "w", "wall").ok("policy")["allowed"] == {}


# --- two consoles ------------------------------------------------------------------------------


def test_an_acknowledgement_from_one_console_shows_on_another_within_a_second(
    server: SimServer,
) -> None:
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    models = [ConsoleModel(buffer_capacity=64) for _ in range(2)]
    seats = [
        BackendClient(models[0], config, Identity("zhang.min", "supervisor", "desk-1")),
        BackendClient(models[1], config, Identity("li.wei", "operator", "desk-2")),
    ]
    for client in seats:
        client.start()
    try:
        assert wait_for(lambda: all(m.link == LinkState.LIVE for m in models), 10)
        assert wait_for(lambda: all(m.alarms.get(RED) is not None for m in models))
        sent = time.monotonic()
        future = seats[0].acknowledge(RED, "gas confirmed on CCTV")
        seen = wait_for(lambda: models[1].alarms.get(RED).state == AlarmState.ACKED, 1.0)
        elapsed = time.monotonic() - sent
        assert seen and elapsed < 1.0, f"the other console saw the ack after {elapsed:.2f} s"
        assert future.result(timeout=5)["alarm"]["state"] == "acked"
        other = models[1].alarms.get(RED)
        assert (other.ack_user, other.ack_comment) == ("zhang.min", "gas confirmed on CCTV")
        assert [s.action for s in other.steps] == ["ack"]
        verified = seats[1].verify(RED, True, "haze on CCTV").result(timeout=5)
        assert verified["alarm"]["loop"] == "verified", "operators may verify any level"
        assert wait_for(lambda: models[0].alarms.get(RED).loop == LoopStage.VERIFIED, 1.0)
    finally:
        for client in seats:
            client.stop()


# --- restart -----------------------------------------------------------------------------------


def _work_the_loop(desk: Desk) -> None:
    desk.ok("ack", alarm=RED, comment="gas confirmed", cmd="a-1")
    desk.ok("verify", alarm=RED, real=True, note="CCTV: haze in zone 1")
    desk.ok("dispatch", alarm=RED, note="phoned duty engineer")
    desk.ok("feedback", alarm=RED, note="crew on site")
    desk.ok("shelve", alarm=YELLOW, minutes=30, comment="sensor being recalibrated")


def test_a_restarted_backend_keeps_every_acknowledgement_shelving_and_loop_step(
    city: City, tmp_path: Path, ctx: zmq.Context
) -> None:
    db = tmp_path / "state.sqlite"
    first = start(city, db)
    try:
        desk = Desk(ctx, first, "zhang.min", "supervisor")
        raised(desk, RED, YELLOW)
        _work_the_loop(desk)
        before = {a: desk.alarm(a) for a in (RED, YELLOW)}
        seq_before = desk.ok("alarms")["seq"]
    finally:
        first.stop()
    second = start(city, db)
    try:
        assert second.instance != first.instance
        desk = Desk(ctx, second, "zhang.min", "supervisor")
        red, yellow = desk.alarm(RED), desk.alarm(YELLOW)
        assert (red.state, red.ack_user, red.ack_comment, red.ack_us) == (
            AlarmState.ACKED,
            "zhang.min",
            "gas confirmed",
            before[RED].ack_us,
        )
        assert (red.loop, red.verdict, red.responsible) == (
            LoopStage.FEEDBACK,
            "real",
            "Tunnel Co.",
        )
        assert red.steps == before[RED].steps
        assert [s.action for s in red.steps] == ["ack", "verify", "dispatch", "feedback"]
        assert red.steps[2].detail == "Tunnel Co." and red.steps[3].note == "crew on site"
        assert all(s.host == "desk-9" and s.role == "supervisor" for s in red.steps)
        assert (yellow.state, yellow.shelved_until_us) == (
            AlarmState.SHELVED,
            before[YELLOW].shelved_until_us,
        )
        assert desk.ok("alarms")["seq"] >= seq_before, "sequence numbers never go back"
        retry = desk.ok("ack", alarm=RED, comment="gas confirmed", cmd="a-1")
        assert alarm_from_wire(retry["alarm"]).ack_us == before[RED].ack_us
        closed = desk.ok("close", alarm=RED, note="leak repaired")
        assert closed["alarm"]["loop"] == "closed"
        exported = desk.ok("export")
    finally:
        second.stop()
    rows = list(csv.DictReader(io.StringIO(exported["csv"])))
    assert exported["rows"] == len(rows) == 6
    assert [(r["alarm"], r["action"]) for r in rows] == [
        (RED, "ack"),
        (RED, "verify"),
        (RED, "dispatch"),
        (RED, "feedback"),
        (YELLOW, "shelve"),
        (RED, "close"),
    ]
    assert rows[0]["time_utc"].endswith("Z") and rows[0]["user"] == "zhang.min"
    assert rows[4]["detail"] == "30" and rows[4]["note"] == "sensor being recalibrated"


def test_export_of_one_alarm_and_cli_export_of_the_state_file(
    city: City, tmp_path: Path, ctx: zmq.Context
) -> None:
    db = tmp_path / "state.sqlite"
    server = start(city, db)
    try:
        desk = Desk(ctx, server, "zhang.min", "supervisor")
        raised(desk, RED, YELLOW)
        _work_the_loop(desk)
        only_yellow = desk.ok("export", alarm=YELLOW)
        assert only_yellow["rows"] == 1 and "shelve" in only_yellow["csv"]
        assert not desk.call("export", alarm="nope").ok
    finally:
        server.stop()
    out = tmp_path / "history.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "--state-db",
            str(db),
            "--export-history",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = list(csv.DictReader(out.open()))
    assert [r["action"] for r in rows] == ["ack", "verify", "dispatch", "feedback", "shelve"]


# --- suppression by design ----------------------------------------------------------------------


def test_maintenance_in_a_compartment_suppresses_its_alarms_until_lifted(
    server: SimServer, ctx: zmq.Context
) -> None:
    boss = Desk(ctx, server, "zhang.min", "supervisor")
    raised(boss, RED, YELLOW)
    operator = Desk(ctx, server, "li.wei", "operator")
    refused = operator.call("suppress", compartment="T1/GAS", comment="crew inside")
    assert not refused.ok and "may not suppress alarms without a level" in refused.error
    result = boss.ok("suppress", compartment="T1/GAS", comment="crew inside, permit 42")
    assert set(result["channels"]) == {RED, YELLOW}
    assert {a["state"] for a in result["alarms"]} == {"suppressed"}
    assert set(boss.ok("alarms")["suppressed"]) == {RED, YELLOW}
    lifted = boss.ok("suppress", compartment="T1/GAS", on=False, comment="crew out")
    assert {a["state"] for a in lifted["alarms"]} == {"unack"}
    assert not boss.call("suppress", compartment="T9/NONE", comment="x").ok
    oos = boss.ok("out_of_service", alarm=YELLOW, comment="detector replaced")
    assert oos["alarms"][0]["state"] == "oos"
