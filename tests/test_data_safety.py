"""SIGKILL while recording: the database opens cleanly and lost at most the last second.

The backend runs in-process (its history is the reference of what was published); the
recorder and a recording console seat are real child processes, killed with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from backend_client.city import demo_city_path, load_city
from backend_client.recording.config import RecordingConfig
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter
from simulator.server import SimServer

MAX_LOSS_S = 1.0

# The recording path of `lifeline-console --record` without its windows: RecordingModel and
# RecordingClient on a RecordingWriter; it prints CONFIRMED once an operator request is answered.
SEAT = """
import sys, time
from backend_client.client import ClientConfig, Identity
from backend_client.protocol import LinkState
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter
from backend_client.recording.tap import RecordingClient, RecordingModel
from backend_client.recording.writer import RecordingWriter
pub, rpc, db = sys.argv[1:4]
writer = RecordingWriter(RecordingStore(db))
writer.start()
model = RecordingModel(writer)
client = RecordingClient(model, ClientConfig(pub=pub, rpc=rpc), Identity("lin", "supervisor", "d1"))
client.start()
while model.link != LinkState.LIVE:
    time.sleep(0.05)
time.sleep(4.0)
result = client.start_scenario("gas-leak").result(10)
print("CONFIRMED", result["started"], flush=True)
time.sleep(60)
"""


@pytest.fixture
def server() -> Iterator[SimServer]:
    srv = SimServer(load_city(demo_city_path()), seed=3)
    srv.start()
    yield srv
    srv.stop()


def _spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )


def _kill(proc: subprocess.Popen) -> int:
    """SIGKILL now; the wall-clock time of the kill in microseconds."""
    killed_us = time.time_ns() // 1000
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(5)
    return killed_us


def _opens_cleanly(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _assert_lost_at_most_the_last_second(server: SimServer, db: Path, killed_us: int) -> None:
    """Every sample published between the first recorded one and a second before the kill is
    in the recording, with its value."""
    store = RecordingStore(db)  # opens, migrates if it must: a clean open after the kill
    try:
        reader = RecordingReader(store)
        span = reader.time_span()
        assert span is not None, "nothing recorded"
        t0, t1 = span[0], killed_us - int(MAX_LOSS_S * 1e6)
        assert t1 - t0 > 2_000_000, "recorded too briefly to judge"
        got = reader.samples(None, t0, t1)
    finally:
        store.close()
    channels = range(len(server.city.sensors))
    ch, times, values, _quality = server.history.query(channels, t0, t1)
    want = dict(zip(zip(ch.tolist(), times.tolist(), strict=True), values.tolist(), strict=True))
    have = dict(
        zip(
            zip(got.channels.tolist(), got.times_us.tolist(), strict=True),
            got.values.tolist(),
            strict=True,
        )
    )
    missing = want.keys() - have.keys()
    assert not missing, f"{len(missing)} of {len(want)} samples lost, e.g. {sorted(missing)[:3]}"
    assert len(have) == len(got), "a sample is stored twice"
    assert np.allclose([have[k] for k in want], list(want.values()), equal_nan=True)


def _wait_for_chunks(db: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(db) as raw:
                    if raw.execute("SELECT count(*) FROM rec_chunks").fetchone()[0]:
                        return
            except sqlite3.OperationalError:  # the schema is not there yet
                pass
        time.sleep(0.2)
    raise AssertionError("the recorder never wrote a chunk")


def test_a_killed_recorder_loses_at_most_the_last_second_and_its_database_opens(server, tmp_path):
    db = tmp_path / "recorder.sqlite"
    proc = _spawn(
        ["-m", "backend_client.recording.cli", "--pub", server.pub_endpoint,
         "--rpc", server.rpc_endpoint, "--db", str(db), "--keep-days", "0"]
    )  # fmt: skip
    try:
        _wait_for_chunks(db)
        time.sleep(3.5)
        killed_us = _kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    server.stop()  # its history is complete up to the kill
    _opens_cleanly(db)
    _assert_lost_at_most_the_last_second(server, db, killed_us)


def test_a_killed_recording_seat_keeps_its_confirmed_operator_action_and_its_samples(
    server, tmp_path
):
    db = tmp_path / "seat.sqlite"
    proc = _spawn(["-c", SEAT, server.pub_endpoint, server.rpc_endpoint, str(db)])
    try:
        line = proc.stdout.readline()
        killed_us = _kill(proc)  # at once: the action must already be on disk
    finally:
        if proc.poll() is None:
            proc.kill()
    assert line.startswith("CONFIRMED gas-leak"), line
    server.stop()
    _opens_cleanly(db)
    store = RecordingStore(db)
    try:
        actions = RecordingReader(store).actions(0, killed_us + 1)
    finally:
        store.close()
    assert [(a.source, a.op, a.user, a.ok) for a in actions] == [
        ("request", "scenario", "lin", True)
    ]
    _assert_lost_at_most_the_last_second(server, db, killed_us)


def test_a_killed_console_seat_recording_with_record_loses_at_most_the_last_second(
    server, tmp_path
):
    db = tmp_path / "console.sqlite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    args = ["--pub", server.pub_endpoint, "--rpc", server.rpc_endpoint, "--record", str(db)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", *args, "--size", "1280x800"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        _wait_for_chunks(db, timeout=60)
        time.sleep(3.5)
        killed_us = _kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    server.stop()
    _opens_cleanly(db)
    _assert_lost_at_most_the_last_second(server, db, killed_us)


def test_staged_samples_are_readable_within_a_commit_interval_and_stored_once_after_the_cut(
    tmp_path,
):
    store = RecordingStore(tmp_path / "tail.sqlite")
    writer = RecordingWriter(store, RecordingConfig(chunk_samples=100, keep_raw_days=None))
    writer.start()
    reader = RecordingReader(store)
    t0 = 1_800_000_000_000_000

    def submit(first: int, n: int) -> None:
        k = np.arange(first, first + n)
        writer.submit_samples(
            (k % 3).astype(np.uint32), t0 + k * 1000, k.astype(np.float32), np.zeros(n, np.uint8)
        )

    def stored() -> list[int]:
        return sorted(reader.samples(None, t0, t0 + 10**9).values.astype(int).tolist())

    try:
        submit(0, 30)  # far from a full chunk (100 per channel): only a tail can hold these
        time.sleep(1.0)
        assert stored() == list(range(30))
        submit(30, 30)
        time.sleep(1.0)
        assert stored() == list(range(60))
        submit(60, 300)  # every channel's chunk fills and is cut: its tails give way to it
        time.sleep(1.0)
        assert stored() == list(range(360))
    finally:
        writer.stop()
    assert stored() == list(range(360))
    assert writer.stats.tail_chunks_written > 0 and writer.stats.samples_written == 360
    store.close()
