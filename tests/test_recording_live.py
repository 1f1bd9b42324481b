"""Recording the real simulator over loopback ZeroMQ into a real SQLite file, read back."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from itertools import pairwise

import numpy as np
import pytest

from backend_client.city import demo_city_path, load_city
from backend_client.client import ClientConfig, Identity
from backend_client.protocol import AlarmChange, AlarmState, LinkState
from backend_client.recording.config import RecordingConfig
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore
from backend_client.recording.tap import RecordingAlarmBook, RecordingClient, RecordingModel
from backend_client.recording.writer import RecordingWriter
from simulator.server import SimServer


class RememberingBook(RecordingAlarmBook):
    """Keeps (time, book) after every applied change: the console's book as it stood then."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.history: list[tuple[int, dict]] = []

    def apply_change(self, change: AlarmChange) -> bool:
        ok = super().apply_change(change)
        if self.seq == change.seq:
            self.history.append((change.alarm.changed_us, self.changes_since(None).alarms))
        return ok


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def server():
    srv = SimServer(load_city(demo_city_path()), seed=7)
    srv.start()
    yield srv
    srv.stop()


def test_a_recorded_gas_leak_reads_back_as_the_console_model_received_it(server, tmp_path):
    store = RecordingStore(tmp_path / "rec.sqlite")
    writer = RecordingWriter(store, RecordingConfig(max_chunk_age_s=1.0))
    writer.start()
    model = RecordingModel(writer, buffer_capacity=8192)
    model.alarms = RememberingBook(writer, model)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = RecordingClient(model, config, Identity("lin", "supervisor", "desk1"))
    client.start()
    try:
        wait_for(lambda: model.link == LinkState.LIVE, 10, "the link")
        server.schedule_scenario("gas-leak")
        wait_for(lambda: bool(model.alarms.active()), 30, "a gas alarm")
        raised = model.alarms.active()[0]
        client.acknowledge(raised.id, "checked on CCTV").result(5)
        wait_for(lambda: model.alarms.get(raised.id).state != AlarmState.UNACK, 5, "the ack")
        time.sleep(1.5)
    finally:
        client.stop()
        writer.stop()
    assert writer.stats.shed_samples == 0 and writer.stats.failed_commits == 0
    assert model.stats.shed_samples == 0 and model.stats.samples > 500
    assert writer.stats.samples_written == model.stats.samples
    reader = RecordingReader(store)
    t0, t1 = reader.time_span()

    # samples: exactly what the model's buffers hold, for the leaking sensor and a few others
    for channel in {raised.channel, 0, 1, len(model.sensors) - 1}:
        held = model.buffers.series(channel)
        got = reader.samples([channel], t0, t1 + 1)
        assert len(held.times_us) > 0
        assert np.array_equal(got.times_us, held.times_us), channel
        assert np.array_equal(got.values.view(np.uint32), held.values.view(np.uint32)), channel
        assert np.array_equal(got.quality, held.quality), channel

    # the alarm book at an instant is the console's book as it stood then
    history = model.alarms.history
    checked = 0
    for (t, book), (t_next, _) in pairwise(history):
        if t_next > t:
            assert reader.alarms_at(t) == book
            checked += 1
    assert reader.alarms_at(t1) == history[-1][1] and checked >= 1

    # the operator's ack: as sent by this seat, and as the step on the alarm record
    actions = reader.actions(t0 - 60_000_000, t1 + 60_000_000)
    kinds = {(a.source, a.op, a.alarm_id, a.user, a.ok) for a in actions}
    assert ("request", "ack", raised.id, "lin", True) in kinds
    assert ("step", "ack", raised.id, "lin", True) in kinds
    store.close()


def test_lifeline_recorder_records_headless_until_sigint_and_prints_a_summary(server, tmp_path):
    db = tmp_path / "headless.sqlite"
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "backend_client.recording.cli",
            "--pub", server.pub_endpoint, "--rpc", server.rpc_endpoint,
            "--db", str(db), "--max-chunk-age", "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if db.exists():
                with sqlite3.connect(db) as raw:
                    tables = raw.execute("SELECT name FROM sqlite_master").fetchall()
                    if ("rec_chunks",) in tables and raw.execute(
                        "SELECT count(*) FROM rec_chunks"
                    ).fetchone()[0]:
                        break
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.startswith("lifeline-recorder: ") and "samples in" in out, (out, err)
    assert len(out.strip().splitlines()) == 1
    with sqlite3.connect(db) as raw:
        samples = raw.execute("SELECT sum(n) FROM rec_chunks").fetchone()[0]
        catalogs = raw.execute("SELECT channels FROM rec_catalogs").fetchall()
        snapshots = raw.execute("SELECT count(*) FROM rec_alarm_snapshots").fetchone()[0]
    assert samples > 0 and catalogs[0][0] == len(server.city.sensors) and snapshots >= 1
