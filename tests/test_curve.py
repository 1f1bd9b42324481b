"""CurveZMQ on a running backend: keys from lifeline-keys, an allowlist, real loopback sockets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import zmq

from backend_client.city import city_from_dict
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.codec import encode_request
from backend_client.keys_cli import main as keys_main
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import LinkState, Request
from backend_client.relay import Relay, RelayConfig
from backend_client.security import (
    CurveClientKeys,
    CurveConfigError,
    curve_client,
    load_curve_config,
)
from simulator.server import SimServer
from tests.scripted_backend import wait_for
from tests.test_closed_loop_server import CITY, RED


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    """A server pair, consoles 'desk-1' (allowed) and 'rogue' (not), and their config files."""
    assert keys_main(["server", str(tmp_path / "server")]) == 0
    assert keys_main(["console", "desk-1", str(tmp_path / "consoles")]) == 0
    assert keys_main(["console", "rogue", str(tmp_path / "consoles")]) == 0
    allow = str(tmp_path / "allowed")
    assert keys_main(["allow", str(tmp_path / "consoles" / "desk-1.key"), allow]) == 0
    (tmp_path / "server.toml").write_text(
        '[server]\nsecret_key = "server/server.key_secret"\nallow = "allowed"\n'
    )
    for name in ("desk-1", "rogue"):
        (tmp_path / f"{name}.toml").write_text(
            f'[client]\nsecret_key = "consoles/{name}.key_secret"\n'
            'server_key = "server/server.key"\n'
        )
    return tmp_path


@pytest.fixture
def server(keys: Path) -> Iterator[SimServer]:
    srv = SimServer(city_from_dict(CITY), curve=load_curve_config(keys / "server.toml"))
    srv.start()
    yield srv
    srv.stop()


def _client_keys(keys: Path, name: str) -> CurveClientKeys:
    client = load_curve_config(keys / f"{name}.toml").client
    assert client is not None
    return client


def _received_anything(
    ctx: zmq.Context, server: SimServer | Relay, curve: CurveClientKeys | None
) -> bool:
    """Whether a SUB + DEALER with these keys (or none) get a publication or a reply in 1.5 s."""
    sub, dealer = ctx.socket(zmq.SUB), ctx.socket(zmq.DEALER)
    for sock in (sub, dealer):
        sock.setsockopt(zmq.LINGER, 0)
        if curve is not None:
            curve_client(sock, curve)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(server.pub_endpoint)
    dealer.connect(server.rpc_endpoint)
    dealer.send(encode_request(Request("r1", "alarms", {}, "mallory", "supervisor", "x")))
    poller = zmq.Poller()
    poller.register(sub, zmq.POLLIN)
    poller.register(dealer, zmq.POLLIN)
    got = bool(poller.poll(1500))
    sub.close()
    dealer.close()
    return got


def test_an_allowlisted_console_gets_live_data_and_its_commands_through(
    server: SimServer, keys: Path
) -> None:
    model = ConsoleModel(buffer_capacity=64)
    config = ClientConfig(
        pub=server.pub_endpoint, rpc=server.rpc_endpoint, curve=_client_keys(keys, "desk-1")
    )
    client = BackendClient(model, config, Identity("zhang.min", "supervisor", "desk-1"))
    client.start()
    try:
        assert wait_for(lambda: model.link == LinkState.LIVE, 10)
        assert wait_for(lambda: model.alarms.get(RED) is not None)
        reply = client.acknowledge(RED, "gas confirmed on CCTV").result(timeout=5)
        assert reply["alarm"]["state"] == "acked"
    finally:
        client.stop()


def test_a_console_with_an_unknown_key_receives_nothing_and_is_never_answered(
    server: SimServer, keys: Path
) -> None:
    ctx = zmq.Context()
    try:
        assert _received_anything(ctx, server, _client_keys(keys, "desk-1")), "control failed"
        assert not _received_anything(ctx, server, _client_keys(keys, "rogue"))
        assert not _received_anything(ctx, server, None), "a plain socket must get nothing"
    finally:
        ctx.destroy(linger=0)


def test_a_client_that_expects_another_server_key_receives_nothing(
    server: SimServer, keys: Path
) -> None:
    keys_main(["server", str(keys / "impostor")])
    wrong = CurveClientKeys(
        _client_keys(keys, "desk-1").secret_key, keys / "impostor" / "server.key"
    )
    ctx = zmq.Context()
    try:
        assert not _received_anything(ctx, server, wrong)
    finally:
        ctx.destroy(linger=0)


def test_a_plain_backend_stays_the_default_without_a_curve_config() -> None:
    with SimServer(city_from_dict(CITY)) as srv:
        srv.start()
        ctx = zmq.Context()
        try:
            assert _received_anything(ctx, srv, None)
        finally:
            ctx.destroy(linger=0)


def test_a_config_error_names_the_file_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[client]\nsecret_key = "x.key_secret"\n')
    with pytest.raises(CurveConfigError, match=r"bad.toml: client.server_key: expected a file"):
        load_curve_config(bad)
    missing = tmp_path / "server.json"
    missing.write_text(json.dumps({"server": {"secret_key": "s", "allow": "nowhere"}}))
    with pytest.raises(CurveConfigError, match=r"server.allow: .*nowhere is not a folder"):
        load_curve_config(missing)
    with pytest.raises(CurveConfigError, match=r"needs a \[server\] or a \[client\] table"):
        load_curve_config(_write(tmp_path / "empty.toml", ""))


def test_a_backend_refuses_a_config_without_a_server_table(keys: Path) -> None:
    with pytest.raises(CurveConfigError, match="needs a \\[server\\] table"):
        SimServer(city_from_dict(CITY), curve=load_curve_config(keys / "desk-1.toml"))


def test_keys_cli_never_overwrites_and_never_allowlists_a_secret_key(
    keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = keys / "consoles" / "desk-1.key_secret"
    before = secret.read_bytes()
    assert keys_main(["console", "desk-1", str(keys / "consoles")]) == 2
    assert secret.read_bytes() == before
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    assert keys_main(["allow", str(secret), str(keys / "allowed")]) == 2
    assert "holds a secret key" in capsys.readouterr().err
    assert sorted(p.name for p in (keys / "allowed").iterdir()) == ["desk-1.key"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_relay_terminates_curve_on_both_sides_and_admits_only_its_own_allowlist(
    server: SimServer, keys: Path
) -> None:
    keys_main(["console", "relay", str(keys / "consoles")])
    keys_main(["allow", str(keys / "consoles" / "relay.key"), str(keys / "allowed")])
    server.reload_allowlist()  # the backend re-reads its allowlist: the relay's key is now on it
    keys_main(["server", str(keys / "relay-server")])
    keys_main(["allow", str(keys / "consoles" / "desk-1.key"), str(keys / "relay-allowed")])
    (keys / "relay.toml").write_text(
        '[server]\nsecret_key = "relay-server/server.key_secret"\nallow = "relay-allowed"\n'
        '[client]\nsecret_key = "consoles/relay.key_secret"\nserver_key = "server/server.key"\n'
    )
    config = RelayConfig(
        backend_pub=(server.pub_endpoint,),
        backend_rpc=server.rpc_endpoint,
        pub="tcp://127.0.0.1:*",
        rpc="tcp://127.0.0.1:*",
        curve=load_curve_config(keys / "relay.toml"),
    )
    desk = CurveClientKeys(
        _client_keys(keys, "desk-1").secret_key, keys / "relay-server" / "server.key"
    )
    rogue = CurveClientKeys(_client_keys(keys, "rogue").secret_key, desk.server_key)
    ctx = zmq.Context()
    try:
        with Relay(config) as relay:
            relay.start()
            assert _received_anything(ctx, relay, desk)
            assert not _received_anything(ctx, relay, rogue)
    finally:
        ctx.destroy(linger=0)


def test_lifeline_sim_refuses_to_start_with_a_broken_curve_config(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from simulator.cli import main as sim_main

    bad = _write(tmp_path / "backend.toml", '[server]\nsecret_key = "missing.key_secret"\n')
    assert sim_main(["--curve", str(bad), "--state-db", ":memory:", "--duration", "0"]) == 2
    assert "backend.toml: server.allow: expected a file path" in caplog.text
