"""The live client over real ZeroMQ: handshake, telemetry, resync on gaps, bad frames, acks."""

import pytest

from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState, LinkState
from tests.scripted_backend import ScriptedBackend, wait_for


@pytest.fixture
def link():
    backend = ScriptedBackend()
    model = ConsoleModel(buffer_capacity=64)
    client = BackendClient(
        model,
        ClientConfig(pub=backend.pub_endpoint, rpc=backend.rpc_endpoint),
        Identity(user="ana", role="supervisor", host="desk-1"),
    )
    client.start()
    assert wait_for(lambda: model.link == LinkState.LIVE), "client never went live"
    yield backend, model, client
    client.stop()
    backend.close()


def test_handshake_loads_catalog_and_city_then_goes_live(link):
    backend, model, _client = link
    assert [s.id for s in model.sensors] == ["S0", "S1", "S2", "S3"]
    assert wait_for(lambda: model.city is not None)
    assert backend.requests[:1] == ["hello"]
    assert "alarms" in backend.requests


def test_telemetry_lands_in_the_channel_buffers(link):
    backend, model, _client = link
    assert wait_for(
        lambda: (
            backend.publish_samples([1, 3], [4.5, 6.5], seq=1)
            or model.buffers.series(3).values.size > 0
        )
    )
    assert model.buffers.series(3).values[-1] == pytest.approx(6.5)


def test_an_alarm_sequence_gap_triggers_a_snapshot_resync(link):
    backend, model, _client = link
    backend.raise_alarm(0)
    assert wait_for(lambda: model.alarms.get("S0") is not None)
    snapshots = backend.requests.count("alarms")
    backend.raise_alarm(1, publish=False)  # lost on the wire
    backend.raise_alarm(2)  # arrives with a gap
    assert wait_for(lambda: model.alarms.get("S1") is not None and model.alarms.get("S2"))
    assert backend.requests.count("alarms") > snapshots
    assert model.stats.resyncs >= 2


def test_malformed_frames_are_counted_and_valid_traffic_still_arrives(link):
    backend, model, _client = link
    for junk in ([b"tel.gas", b"\xc1garbage"], [b"alm", b"\x80"], [b"hbx", b"x"], [b"hb"]):
        backend.send(junk)
    backend.publish_samples([2], [1.25], seq=1)
    assert wait_for(lambda: model.buffers.series(2).values.size > 0)
    assert model.stats.malformed >= 3
    assert model.stats.unknown >= 1


def test_acknowledge_round_trip_carries_identity_and_updates_the_book(link):
    backend, model, client = link
    backend.raise_alarm(1, level=1)
    assert wait_for(lambda: model.alarms.get("S1") is not None)
    result = client.acknowledge("S1", "checked on video").result(timeout=5)
    assert result["alarm"]["state"] == "acked"
    assert backend.acks[0]["comment"] == "checked on video"
    assert wait_for(lambda: model.alarms.get("S1").state == AlarmState.ACKED)
    assert model.alarms.get("S1").ack_user == "ana"
