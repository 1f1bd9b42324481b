"""Subscriptions by interest: a seat gets only its domains' and areas' telemetry, yet every alarm.

Alarms are not filtered: they are few and small, a supervisor needs all of them, and the alarm
stream has one sequence number (a seat that skipped other areas' changes would see gaps and
resync on every heartbeat). Real simulator, real relay, real ZeroMQ on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backend_client.city import City, city_from_dict
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState, LinkState
from backend_client.relay import Relay, RelayConfig
from backend_client.topic_plan import SUBSCRIBE, UNSUBSCRIBE, TopicPlan
from backend_client.topics import parse_interest, telemetry_subscriptions, telemetry_topic
from simulator.citygen import generate
from simulator.server import SimServer
from tests.scripted_backend import wait_for

LOOPBACK = "tcp://127.0.0.1:*"
ALARMING = "T1/GAS/Z01/CH4/01"  # a tunnel sensor in A2 whose calm signal is beyond its limit


def _sensor(ident: str, domain: str, area: str, high: float | None = None) -> dict[str, Any]:
    return {
        "id": ident, "name": ident, "domain": domain, "type": "P", "unit": "kPa",
        "position": [150, 104.4, -2.8], "asset": "T1", "area": area, "rate_hz": 5.0,
        "limits": {"high": [high, None, None, None], "deadband": 1.0},
    }  # fmt: skip


CITY = {
    "format": "lifeline-city/1",
    "name": "Interest test",
    "tunnels": [
        {
            "id": "T1", "name": "Main St tunnel", "centreline": [[50, 100, -6], [450, 100, -6]],
            "width": 11.0, "height": 3.7, "owner": "Tunnel Co.", "compartments": [],
            "fire_zones": [],
        }
    ],
    "sensors": [
        _sensor("G-A1", "gas", "A1"),
        _sensor("G-A2", "gas", "A2"),
        _sensor("W-A1", "water", "A1"),
        _sensor("W-A2", "water", "A2"),
        _sensor(ALARMING, "tunnel", "A2", high=-100.0),
        _sensor("G-NONE", "gas", ""),
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def city() -> City:
    return city_from_dict(CITY)


@pytest.fixture
def server(city: City, tmp_path: Path) -> Iterator[SimServer]:
    srv = SimServer(city, state_db=tmp_path / "state.sqlite")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(params=["direct", "relay"])
def endpoints(request: pytest.FixtureRequest, server: SimServer) -> Iterator[tuple[str, str]]:
    if request.param == "direct":
        yield server.pub_endpoint, server.rpc_endpoint
        return
    config = RelayConfig((server.pub_endpoint,), server.rpc_endpoint, LOOPBACK, LOOPBACK)
    with Relay(config) as relay:
        relay.start()
        yield relay.pub_endpoint, relay.rpc_endpoint


def heard(model: ConsoleModel, city: City) -> set[str]:
    """The sensors whose samples reached this seat's buffers."""
    counts = model.buffers.counts()
    return {city.sensors[i].id for i in np.flatnonzero(counts)}


def test_interest_text_becomes_zeromq_prefixes() -> None:
    assert telemetry_subscriptions([]) == [b"tel."]
    assert telemetry_subscriptions(["gas"]) == [b"tel.gas"]
    assert telemetry_subscriptions(["gas/D03:A1", "gas"]) == [b"tel.gas.D03:A1", b"tel.gas"]
    district = telemetry_subscriptions(["D03:"])  # a bare area: every domain in it
    assert len(district) == 6 and b"tel.bridge.D03:" in district
    assert parse_interest("*/A1") == parse_interest("A1")
    assert telemetry_topic("gas", "A1") == "gas.A1" and telemetry_topic("gas", "") == "gas"
    assert telemetry_topic("gas", "东区") == "gas", "a non-ASCII area falls back to the domain"


def test_a_bad_interest_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="'lava' is not one of gas"):
        ClientConfig(interests=("lava/A1",))
    with pytest.raises(ValueError, match="empty"):
        ClientConfig(interests=(" ",))


def test_a_backend_splits_out_only_the_areas_someone_subscribed_to_by_area(city: City) -> None:
    plan = TopicPlan(city.sensors)
    assert plan.topics == ["gas", "water", "tunnel"], "no area subscription: a batch per domain"
    for prefix in (b"tel.", b"tel.water", b"alm", b"hb"):
        assert not plan.on_subscription(bytes([SUBSCRIBE]) + prefix)
    assert plan.on_subscription(bytes([SUBSCRIBE]) + b"tel.gas.A1")
    assert plan.topics == ["gas", "gas.A1", "water", "tunnel"]
    assert [plan.topics[c] for c in plan.codes] == [
        "gas.A1",
        "gas",
        "water",
        "water",
        "tunnel",
        "gas",
    ]
    plan.on_subscription(bytes([SUBSCRIBE]) + b"tel.tunnel.A")  # an area prefix: A, A2, A10 ...
    assert plan.topics == ["gas", "gas.A1", "water", "tunnel.A2"]
    plan.on_subscription(bytes([UNSUBSCRIBE]) + b"tel.gas.A1")
    assert plan.topics == ["gas", "water", "tunnel.A2"]
    plan.on_subscription(bytes([SUBSCRIBE]) + b"tel.water.A")  # two areas, the same seats
    assert plan.topics == ["gas", "water.A", "tunnel.A2"], "one batch for both, on their prefix"
    plan.on_subscription(bytes([SUBSCRIBE]) + b"tel.water.A1")  # now their seats differ
    assert plan.topics == ["gas", "water.A1", "water.A2", "tunnel.A2"]
    assert TopicPlan(city.sensors, split_all=True).topics == [
        "gas", "gas.A1", "gas.A2", "water.A1", "water.A2", "tunnel.A2"
    ]  # fmt: skip


def test_a_filtered_seat_gets_only_its_telemetry_but_every_alarm_change(
    server: SimServer, city: City, endpoints: tuple[str, str]
) -> None:
    pub, rpc = endpoints
    interests = {"all": (), "gas-a1": ("gas/A1",), "area-a2": ("A2",), "water": ("water",)}
    models = {name: ConsoleModel(buffer_capacity=64) for name in interests}
    clients = [
        BackendClient(models[name], ClientConfig(pub, rpc, interests=interests[name]),
                      Identity(name, "supervisor", name))
        for name in interests
    ]  # fmt: skip
    for client in clients:
        client.start()
    try:
        assert wait_for(lambda: all(m.link == LinkState.LIVE for m in models.values()), 10)
        everyone = {s.id for s in city.sensors}
        assert wait_for(lambda: heard(models["all"], city) == everyone, 5)
        assert wait_for(lambda: heard(models["area-a2"], city) == {"G-A2", "W-A2", ALARMING})
        assert wait_for(lambda: heard(models["water"], city) == {"W-A1", "W-A2"})
        assert wait_for(lambda: heard(models["gas-a1"], city) == {"G-A1"})
        assert heard(models["water"], city) == {"W-A1", "W-A2"}
        assert heard(models["area-a2"], city) == {"G-A2", "W-A2", ALARMING}
        assert server.topic_plan.topics == [  # the seats' area interests, split out; the rest whole
            "gas", "gas.A1", "gas.A2", "water", "water.A2", "tunnel.A2"
        ]  # fmt: skip

        assert wait_for(lambda: all(m.alarms.get(ALARMING) for m in models.values()))
        clients[0].acknowledge(ALARMING, "seen").result(timeout=5)
        acked = lambda m: m.alarms.get(ALARMING).state == AlarmState.ACKED  # noqa: E731
        assert wait_for(lambda: all(acked(m) for m in models.values()), 2.0), (
            "a seat not showing the tunnel still sees its alarm change live"
        )
        seqs = {m.alarms.seq for m in models.values()}
        assert len(seqs) == 1 and all(m.stats.resyncs == 1 for m in models.values()), (
            "one alarm stream: no filtered seat saw a gap and resynced"
        )
    finally:
        for client in clients:
            client.stop()


def test_every_subscriber_gets_exactly_the_sensors_its_prefixes_match_however_areas_split() -> None:
    city = city_from_dict(generate(12))
    full = [b"tel." + telemetry_topic(s.domain, s.area).encode() for s in city.sensors]
    pool = [
        b"tel.gas.D0", b"tel.gas.D01:", b"tel.gas.D01:A1", b"tel.gas.D1", b"tel.water.D02:A",
        b"tel.bridge.", b"tel.tunnel.D1", b"tel.heating.D11:A4", b"tel.drainage.D03:A2",
    ]  # fmt: skip
    rng = np.random.default_rng(3)
    plan = TopicPlan(city.sensors)
    for _ in range(30):
        prefix = pool[rng.integers(len(pool))]
        kind = SUBSCRIBE if prefix not in plan.subscriptions else UNSUBSCRIBE
        plan.on_subscription(bytes([kind]) + prefix)
        sent = [b"tel." + plan.topics[c].encode() for c in plan.codes]
        for want in [*plan.subscriptions, b"tel.", b"tel.gas", b"tel.bridge"]:
            got = {i for i, t in enumerate(sent) if t.startswith(want)}
            assert got == {i for i, t in enumerate(full) if t.startswith(want)}, want
        assert len(plan.topics) <= 6 + len(plan.subscriptions), "batches grow with interests"
