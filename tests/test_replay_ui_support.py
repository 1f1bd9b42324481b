"""A real recording for the replay UI tests: the simulator's gas leak recorded into SQLite by the
live client's own taps, with the crew acknowledging the first alarm (as tests/test_replay.py).

Recorded once per test run (the replay UI modules share it); the tests never write to it except
through the incident library and the training log, which have tables of their own.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from backend_client.city import demo_city_path, load_city
from backend_client.client import ClientConfig, Identity
from backend_client.protocol import LinkState
from backend_client.recording.config import RecordingConfig
from backend_client.recording.store import RecordingStore
from backend_client.recording.tap import RecordingClient, RecordingModel
from backend_client.recording.writer import RecordingWriter
from simulator.server import SimServer

AFTER_FIRST_ALARM_S = 12.0


@dataclass(frozen=True)
class UiRecording:
    db: Path
    crew_acked: str  # the alarm the crew acknowledged
    leak_channel: int


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@functools.cache
def gas_leak_recording() -> UiRecording:
    """Record once; tests copy the file so that each starts from the recording alone."""
    folder = Path(tempfile.mkdtemp(prefix="replay-ui-"))
    db = folder / "gas-leak.sqlite"
    server = SimServer(load_city(demo_city_path()), seed=11)
    server.start()
    store = RecordingStore(db)
    writer = RecordingWriter(store, RecordingConfig(max_chunk_age_s=1.0))
    writer.start()
    model = RecordingModel(writer, buffer_capacity=4096)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = RecordingClient(model, config, Identity("crew", "supervisor", "desk1"))
    client.start()
    try:
        wait_for(lambda: model.link == LinkState.LIVE, 10, "the link")
        time.sleep(1.0)  # a second of quiet before the leak
        server.schedule_scenario("gas-leak")
        wait_for(lambda: bool(model.alarms.active()), 30, "a gas alarm")
        raised = model.alarms.active()[0]
        time.sleep(1.5)  # the crew takes a moment
        client.acknowledge(raised.id, "checked on CCTV").result(5)
        time.sleep(AFTER_FIRST_ALARM_S)
    finally:
        client.stop()
        writer.stop()
        server.stop()
    store.close()
    assert writer.stats.shed_samples == 0 and writer.stats.failed_commits == 0
    return UiRecording(db, raised.id, raised.channel)


def fresh_copy(tmp_path: Path) -> UiRecording:
    """A copy of the shared recording in tmp_path (bookmarks and training land in the copy)."""
    rec = gas_leak_recording()
    db = tmp_path / rec.db.name
    for part in rec.db.parent.glob(rec.db.name + "*"):  # the file, and any -wal / -shm beside it
        shutil.copy(part, tmp_path / part.name)
    return UiRecording(db, rec.crew_acked, rec.leak_channel)


def test_the_shared_recording_holds_alarms(tmp_path):
    from backend_client.recording.reader import RecordingReader

    rec = fresh_copy(tmp_path)
    store = RecordingStore(rec.db)
    try:
        reader = RecordingReader(store)
        span = reader.time_span()
        assert span is not None
        assert reader.raise_times(*span)
    finally:
        store.close()
