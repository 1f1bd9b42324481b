"""User accounts: scrypt hashes, lockout, login sessions on a running backend (real sockets)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import zmq

from backend_client.city import city_from_dict
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.codec import decode_reply, encode_request
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import LinkState, Reply, Request
from simulator.server import SimServer
from simulator.users import LoginError, UserError, UserStore
from simulator.users_cli import main as users_main
from tests.scripted_backend import wait_for
from tests.test_closed_loop_server import CITY, RED, YELLOW

FAST = (2**10, 8, 1)  # scrypt parameters small enough for tests; the stored ones are used
_ids = count(1)


class Clock:
    """A settable clock for lockout expiry."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def users_db(tmp_path: Path) -> Path:
    path = tmp_path / "users.sqlite"
    store = UserStore(path)
    store.add("li.wei", "operator-pass", "operator", FAST)
    store.add("zhang.min", "super-secret", "supervisor", FAST)
    store.close()
    return path


class Seat:
    """A raw DEALER that claims whatever it likes and carries a session token once logged in."""

    def __init__(self, ctx: zmq.Context, server: SimServer, claim: str = "supervisor") -> None:
        self.sock = ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(server.rpc_endpoint)
        self.claim = claim
        self.session = ""

    def call(self, op: str, **args: Any) -> Reply:
        request = Request(
            f"s{next(_ids)}", op, args, "claimed.user", self.claim, "desk-7", self.session
        )
        self.sock.send(encode_request(request))
        assert self.sock.poll(5000), "no reply"
        return decode_reply(self.sock.recv())

    def login(self, user: str, password: str, seat: str = "desk") -> Reply:
        reply = self.call("login", user=user, password=password, seat=seat)
        if reply.ok:
            self.session = reply.result["session"]
        return reply


@pytest.fixture
def server(users_db: Path, tmp_path: Path) -> Iterator[SimServer]:
    srv = SimServer(
        city_from_dict(CITY), users_db=users_db, audit_db=tmp_path / "audit.sqlite", desk_idle_s=1
    )
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def ctx() -> Iterator[zmq.Context]:
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


def _raised(seat: Seat) -> None:
    def both() -> bool:
        ids = {a["id"] for a in seat.call("alarms").result["alarms"]}
        return {RED, YELLOW} <= ids

    assert wait_for(both), "alarms never raised"


# --- the store ---------------------------------------------------------------------------------


def test_passwords_are_stored_as_salted_scrypt_with_their_parameters(users_db: Path) -> None:
    db = sqlite3.connect(users_db)
    rows = db.execute("SELECT name, salt, n, r, p, hash FROM users ORDER BY name").fetchall()
    db.close()
    assert [(r[2], r[3], r[4]) for r in rows] == [FAST, FAST]
    assert rows[0][1] != rows[1][1], "each user has a salt of their own"
    assert all(b"pass" not in r[5] and b"secret" not in r[5] and len(r[5]) == 64 for r in rows)


def test_a_good_password_gives_the_account_and_its_role(users_db: Path) -> None:
    store = UserStore(users_db)
    assert store.verify("li.wei", "operator-pass").role == "operator"
    with pytest.raises(LoginError, match="wrong user name or password"):
        store.verify("li.wei", "operator-pasS")
    with pytest.raises(LoginError, match="wrong user name or password"):
        store.verify("nobody", "operator-pass")
    with pytest.raises(UserError, match="at least 8"):
        store.add("short", "1234567", "operator", FAST)
    store.close()


def test_five_failures_lock_the_account_until_the_lockout_ends(users_db: Path) -> None:
    clock = Clock()
    store = UserStore(users_db, max_failures=5, lockout_s=900, clock=clock)
    for _ in range(4):
        with pytest.raises(LoginError, match="wrong"):
            store.verify("li.wei", "guess")
    with pytest.raises(LoginError, match="locked"):
        store.verify("li.wei", "guess")
    with pytest.raises(LoginError, match="locked"):
        store.verify("li.wei", "operator-pass")  # even the right password, while locked
    clock.now += 901
    assert store.verify("li.wei", "operator-pass").name == "li.wei"
    store.close()


def test_a_good_login_resets_the_failure_count(users_db: Path) -> None:
    store = UserStore(users_db, max_failures=3)
    for _ in range(2):
        with pytest.raises(LoginError):
            store.verify("li.wei", "guess")
    store.verify("li.wei", "operator-pass")
    for _ in range(2):
        with pytest.raises(LoginError, match="wrong"):
            store.verify("li.wei", "guess")
    store.close()


# --- sessions on a running backend ---------------------------------------------------------------


def test_without_a_session_a_seat_may_read_but_not_act(server: SimServer, ctx: zmq.Context) -> None:
    seat = Seat(ctx, server)
    _raised(seat)
    refused = seat.call("ack", alarm=YELLOW, comment="")
    assert not refused.ok and refused.error == "login required: log in to ack"
    assert seat.call("policy").result["allowed"] == {}, "a claimed role grants nothing"


def test_the_backend_acts_as_the_sessions_user_and_role_not_the_claimed_ones(
    server: SimServer, ctx: zmq.Context
) -> None:
    seat = Seat(ctx, server, claim="supervisor")
    _raised(seat)
    assert seat.login("li.wei", "operator-pass").result["role"] == "operator"
    refused = seat.call("ack", alarm=RED, comment="gas confirmed")
    assert not refused.ok and "role 'operator' may not ack a level I alarm" in refused.error
    acked = seat.call("ack", alarm=YELLOW, comment="")
    assert acked.ok, acked.error
    assert acked.result["alarm"]["ack_user"] == "li.wei"


def test_a_wall_seat_runs_as_the_read_only_wall_role(server: SimServer, ctx: zmq.Context) -> None:
    seat = Seat(ctx, server)
    _raised(seat)
    assert seat.login("zhang.min", "super-secret", seat="wall").result["role"] == "wall"
    refused = seat.call("ack", alarm=YELLOW, comment="x")
    assert not refused.ok and "read only" in refused.error
    assert seat.call("alarms").ok


def test_a_desk_session_ends_after_the_idle_timeout(server: SimServer, ctx: zmq.Context) -> None:
    seat = Seat(ctx, server)
    _raised(seat)
    assert seat.login("zhang.min", "super-secret").result["idle_timeout_s"] == 1
    time.sleep(0.5)
    assert seat.call("policy").result["role"] == "supervisor", "use keeps the session alive"
    time.sleep(1.2)
    expired = seat.call("ack", alarm=YELLOW, comment="")
    assert not expired.ok and expired.error == "session expired: log in to ack"


def test_repeated_failed_logins_lock_the_account_over_the_wire(
    server: SimServer, ctx: zmq.Context
) -> None:
    seat = Seat(ctx, server)
    errors = [seat.login("li.wei", "guess").error for _ in range(5)]
    assert errors[0] == "login refused: wrong user name or password"
    assert "locked" in errors[-1]
    assert "locked" in seat.login("li.wei", "operator-pass").error


def test_a_backend_without_accounts_refuses_login_and_trusts_claimed_roles(
    ctx: zmq.Context,
) -> None:
    with SimServer(city_from_dict(CITY)) as srv:
        srv.start()
        seat = Seat(ctx, srv, claim="supervisor")
        assert "no user accounts" in seat.login("x", "y").error
        _raised(seat)
        assert seat.call("ack", alarm=RED, comment="gas confirmed").ok


def test_the_console_client_logs_in_and_its_commands_carry_the_session(
    server: SimServer,
) -> None:
    model = ConsoleModel(buffer_capacity=64)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = BackendClient(model, config, Identity("ignored", "supervisor", "desk-3"))
    client.start()
    try:
        assert wait_for(lambda: model.link == LinkState.LIVE, 10)
        assert client.login("li.wei", "operator-pass").result(timeout=5)["role"] == "operator"
        assert client.identity == Identity("li.wei", "operator", "desk-3")
        assert wait_for(lambda: model.alarms.get(YELLOW) is not None)
        acked = client.acknowledge(YELLOW).result(timeout=5)
        assert acked["alarm"]["ack_user"] == "li.wei"
    finally:
        client.stop()


# --- lifeline-users ------------------------------------------------------------------------------


def test_users_cli_adds_lists_and_removes_users(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, secret = tmp_path / "u.sqlite", tmp_path / "pw"
    secret.write_text("a long password\n")
    assert (
        users_main([str(db), "add", "wang.fang", "--role", "admin", "--password-file", str(secret)])
        == 0
    )
    assert users_main([str(db), "add", "x", "--role", "pilot", "--password-file", str(secret)]) == 2
    assert "role 'pilot' is not in the policy" in capsys.readouterr().err
    assert users_main([str(db), "list"]) == 0
    assert capsys.readouterr().out == "wang.fang\tadmin\n"
    store = UserStore(db)
    assert store.verify("wang.fang", "a long password").role == "admin"
    store.close()
    assert users_main([str(db), "remove", "wang.fang"]) == 0
    assert users_main([str(db), "remove", "wang.fang"]) == 1


def test_the_client_logs_in_again_when_the_backend_restarts(users_db: Path) -> None:
    first = SimServer(city_from_dict(CITY), users_db=users_db)
    first.start()
    pub, rpc = first.pub_endpoint, first.rpc_endpoint
    model = ConsoleModel(buffer_capacity=64)
    config = ClientConfig(pub=pub, rpc=rpc, request_timeout_s=1, reconnect_interval_s=0.2)
    client = BackendClient(model, config, Identity("ignored", "supervisor", "desk-4"))
    client.start()
    second = None
    try:
        assert wait_for(lambda: model.link == LinkState.LIVE, 10)
        client.login("li.wei", "operator-pass").result(timeout=5)
        first.stop()
        second = SimServer(city_from_dict(CITY), pub=pub, rpc=rpc, users_db=users_db)
        second.start()
        assert wait_for(lambda: model.alarms.get(YELLOW) is not None, 15)
        assert wait_for(lambda: client.fetch_policy().result(timeout=5)["role"] == "operator", 10)
    finally:
        client.stop()
        if second is not None:
            second.stop()
