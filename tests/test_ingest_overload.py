"""Under overload the client sheds the oldest telemetry, counts it and stays within its bounds."""

import time
import tracemalloc

import pytest

from backend_client import client as client_module
from backend_client.client import MAX_BACKLOG_BYTES, BackendClient, ClientConfig
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import LinkState
from tests.scripted_backend import ScriptedBackend
from tests.scripted_backend import wait_for as _wait_for

FLOOD = 3000  # batches; fits in ZeroMQ's queues below, so every one reaches the client
CHANNELS = [0, 1, 2, 3]


def wait_for(condition) -> bool:
    return _wait_for(condition, timeout=10.0)  # a flood takes longer to drain


def newest(model, channel=0):
    values = model.buffers.series(channel).values
    return float(values[-1]) if values.size else None


@pytest.fixture
def paused_link():
    backend = ScriptedBackend()
    model = ConsoleModel(buffer_capacity=64)
    client = BackendClient(
        model, ClientConfig(pub=backend.pub_endpoint, rpc=backend.rpc_endpoint, sub_hwm=10_000)
    )
    decoded_per_drain: list[int] = []
    ingest, drain = model.ingest, client._drain_sub

    def counting_ingest(batch):
        decoded_per_drain[-1] += 1
        ingest(batch)

    def counting_drain(sub):
        decoded_per_drain.append(0)
        drain(sub)

    model.ingest = counting_ingest
    client._drain_sub = counting_drain
    client.start()
    assert wait_for(lambda: model.link == LinkState.LIVE), "client never went live"
    yield backend, model, client, decoded_per_drain
    client.stop()
    backend.close()


def test_a_backlog_sheds_oldest_keeps_newest_and_counts_every_sample(paused_link):
    backend, model, _client, decoded_per_drain = paused_link
    tracemalloc.start()
    try:
        with model.buffers._lock:  # the client thread stalls in its next append
            backend.publish_samples(CHANNELS, [0.0] * 4, seq=1)
            time.sleep(0.3)
            for seq in range(2, FLOOD + 1):
                backend.publish_samples(CHANNELS, [float(seq)] * 4, seq=seq)
                if seq == FLOOD // 2:
                    backend.raise_alarm(2)  # not telemetry: never shed
        assert wait_for(lambda: newest(model) == FLOOD)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    stats = model.stats
    assert stats.shed_samples > 0
    assert stats.shed_samples % len(CHANNELS) == 0
    # every sample is stored, shed or (rarely, if ZeroMQ dropped some) lost: never counted twice,
    # so shed frames are not mistaken for network loss
    lost = stats.lost_batches * len(CHANNELS)
    assert stats.samples + stats.shed_samples + lost == FLOOD * len(CHANNELS)
    most = client_module.IN_ORDER_FRAMES + client_module.MAX_BACKLOG_FRAMES
    assert max(decoded_per_drain) <= most
    assert peak < MAX_BACKLOG_BYTES
    kept = model.buffers.series(0).values
    assert list(kept[-3:]) == [FLOOD - 2, FLOOD - 1, FLOOD]  # the newest run, in order
    assert wait_for(lambda: model.alarms.get("S2") is not None)
    assert model.link == LinkState.LIVE


def test_a_client_that_keeps_up_sheds_nothing(paused_link):
    backend, model, _client, _decoded = paused_link
    for seq in range(1, 51):
        backend.publish_samples(CHANNELS, [float(seq)] * 4, seq=seq)
        time.sleep(0.002)
    assert wait_for(lambda: newest(model) == 50)
    assert model.stats.shed_samples == 0
    assert model.stats.samples + model.stats.lost_batches * len(CHANNELS) == 50 * len(CHANNELS)
