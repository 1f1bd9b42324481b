"""Sharing an incident: a simulator gas leak recorded into database A, its incident proposed and
exported to one file, imported into a fresh database B (SQLite, and PostgreSQL when a server is
there); replaying it from B shows exactly what replaying it from A shows."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, func, select, text

from backend_client.city import demo_city_path, load_city
from backend_client.client import ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import LinkState
from backend_client.recording import replay_cli
from backend_client.recording.config import RecordingConfig
from backend_client.recording.incident_file import (
    FORMAT_KEY,
    IncidentFileError,
    check_incident_file,
    export_incident,
    import_incident,
)
from backend_client.recording.incidents import Incident, IncidentLibrary
from backend_client.recording.reader import RecordingReader
from backend_client.recording.replay import ReplaySource
from backend_client.recording.schema import ChunkRow
from backend_client.recording.store import RecordingStore
from backend_client.recording.tap import RecordingClient, RecordingModel
from backend_client.recording.writer import RecordingWriter
from simulator.server import SimServer

PG_URL = os.environ.get("LIFELINE_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
CAPACITY = 8192
RECORD_S = 7.0


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@dataclass(frozen=True)
class GasLeak:
    """A recorded gas leak: the database, the alarm's channel and a 10 Hz channel."""

    db: Path
    leak_channel: int
    fast_channel: int


def record_gas_leak(db: Path, seconds: float = RECORD_S) -> GasLeak:
    """Record the simulator's gas leak (acknowledged by the crew) for about `seconds`."""
    server = SimServer(load_city(demo_city_path()), seed=11)
    server.start()
    store = RecordingStore(db)
    writer = RecordingWriter(store, RecordingConfig(max_chunk_age_s=1.0))
    writer.start()
    model = RecordingModel(writer, buffer_capacity=64)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = RecordingClient(model, config, Identity("crew", "supervisor", "desk1"))
    client.start()
    try:
        wait_for(lambda: model.link == LinkState.LIVE, 10, "the link")
        fast = next(i for i, s in enumerate(model.sensors) if s.rate_hz >= 10)
        server.schedule_scenario("gas-leak")
        began = time.monotonic()
        wait_for(lambda: bool(model.alarms.active()), 30, "a gas alarm")
        raised = model.alarms.active()[0]
        time.sleep(0.5)
        client.acknowledge(raised.id, "checked on CCTV").result(5)
        wait_for(lambda: time.monotonic() - began >= seconds, 30, "the recording's length")
    finally:
        client.stop()
        writer.stop()
        server.stop()
        store.close()
    assert writer.stats.shed_samples == 0 and writer.stats.failed_commits == 0
    return GasLeak(db, raised.channel, fast)


@pytest.fixture(scope="module")
def leak(tmp_path_factory) -> GasLeak:
    return record_gas_leak(tmp_path_factory.mktemp("leak") / "a.sqlite")


@pytest.fixture(scope="module")
def exported(leak, tmp_path_factory) -> tuple[Incident, Path]:
    """The leak's proposed incident, exported once."""
    store = RecordingStore(leak.db)
    try:
        (incident,) = IncidentLibrary(store).propose()
        path = tmp_path_factory.mktemp("file") / "leak.lifeline-incident"
        summary = export_incident(store, incident.id, path)
    finally:
        store.close()
    assert summary.counts.chunks > 0 and summary.counts.alarm_events > 0
    assert summary.counts.catalogs == 1 and summary.counts.cities == 1
    assert summary.counts.actions >= 1 and summary.bytes == path.stat().st_size
    return incident, path


def instants(incident: Incident, reader: RecordingReader) -> list[int]:
    """Instants across the incident: evenly spread, each alarm raise, and just after each."""
    spread = np.linspace(incident.start_us, incident.end_us, 7).astype(np.int64).tolist()
    raises = reader.raise_times(incident.start_us, incident.end_us)
    return sorted({*spread, *raises, *(t + 150_000 for t in raises)} - {incident.end_us + 150_000})


def state(replay: ReplaySource, channels: tuple[int, ...]) -> tuple:
    m = replay.model
    series = []
    for ch in channels:
        s = m.buffers.series(ch)
        series.append((s.times_us.tolist(), s.values.view(np.uint32).tolist(), s.quality.tolist()))
    return m.alarms.changes_since(None).alarms, series


def assert_replays_alike(a: RecordingStore, b: RecordingStore, incident: Incident, leak) -> None:
    """Seek and advance through the incident in both; the book and the plotted series agree."""
    watch = (0, leak.leak_channel, leak.fast_channel)
    replays = [
        ReplaySource(s, ConsoleModel(CAPACITY), incident.start_us, incident.end_us) for s in (a, b)
    ]
    times = instants(incident, replays[0].reader)
    assert len(times) >= 7
    books_with_alarms = 0
    for t in reversed(times):  # seeks, each from scratch
        got = [state(r, watch) for r in replays if r.seek(t) == t]
        assert got[0] == got[1], t
        books_with_alarms += bool(got[0][0])
    assert books_with_alarms >= 2
    for r in replays:
        r.seek(incident.start_us)
    for t in times:  # forward, as playing does
        got = [state(r, watch) for r in replays if r.advance(t) == t]
        assert got[0] == got[1], t
    ra, rb = (RecordingReader(s) for s in (a, b))
    span = (incident.start_us, incident.end_us + 1)
    everything_a, everything_b = ra.samples(None, *span), rb.samples(None, *span)
    for field in ("channels", "times_us", "values", "quality"):
        left, right = getattr(everything_a, field), getattr(everything_b, field)
        assert left.tobytes() == right.tobytes(), field  # bit-exact, NaN included
    assert ra.raise_times(*span) == rb.raise_times(*span)
    assert ra.actions(*span) == rb.actions(*span)
    assert ra.catalog_at(incident.start_us) == rb.catalog_at(incident.start_us)
    assert ra.city_at(incident.start_us) == rb.city_at(incident.start_us)
    assert ra.state_at(incident.start_us).times_us.tolist() == (
        rb.state_at(incident.start_us).times_us.tolist()
    )


def test_an_imported_incident_replays_exactly_as_it_did_where_it_was_recorded(
    leak, exported, tmp_path
):
    incident, path = exported
    a, b = RecordingStore(leak.db), RecordingStore(tmp_path / "b.sqlite")
    try:
        imported = import_incident(b, path)
        assert (imported.uid, imported.title, imported.kind) == (
            incident.uid,
            incident.title,
            incident.kind,
        )
        assert (imported.start_us, imported.end_us, imported.max_level) == (
            incident.start_us,
            incident.end_us,
            incident.max_level,
        )
        assert IncidentLibrary(b).search() == [imported]
        assert_replays_alike(a, b, incident, leak)
    finally:
        a.close()
        b.close()


def test_a_bookmark_inside_the_recording_carries_only_its_range_and_replays_alike(leak, tmp_path):
    a, b = RecordingStore(leak.db), RecordingStore(tmp_path / "b.sqlite")
    try:
        lo, hi = RecordingReader(a).time_span()
        mark = IncidentLibrary(a).bookmark("middle", "", lo + 2_500_000, hi - 2_000_000)
        summary = export_incident(a, mark.id, tmp_path / "middle.lifeline-incident")
        imported = import_incident(b, summary.path)
        assert imported.kind == "bookmark"
        assert (imported.start_us, imported.end_us) == (mark.start_us, mark.end_us)
        held = RecordingReader(b).time_span()
        assert held is not None and held[0] <= mark.start_us and mark.end_us <= held[1] < hi
        with a.engine.connect() as conn:
            everything = conn.execute(select(func.count()).select_from(ChunkRow)).scalar()
        assert 0 < summary.counts.chunks < everything
        assert_replays_alike(a, b, mark, leak)
    finally:
        a.close()
        b.close()


def test_importing_the_same_file_twice_adds_nothing(exported, tmp_path):
    incident, path = exported
    b = RecordingStore(tmp_path / "b.sqlite")
    try:
        first = import_incident(b, path)
        with b.engine.connect() as conn:
            chunks = conn.execute(select(func.count()).select_from(ChunkRow)).scalar()
        assert import_incident(b, path) == first
        IncidentLibrary(b).delete(first.id)  # the incident gone, its rows still there
        again = import_incident(b, path)
        with b.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(ChunkRow)).scalar() == chunks
        assert again.uid == incident.uid and len(IncidentLibrary(b).search()) == 1
    finally:
        b.close()


def test_the_file_is_one_self_contained_recording_that_replays_as_it_is(exported):
    incident, path = exported
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}.part").exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert check_incident_file(path) == incident.uid


def test_a_database_holding_other_samples_of_that_time_is_refused(leak, exported, tmp_path):
    incident, path = exported
    b = RecordingStore(tmp_path / "b.sqlite")
    writer = RecordingWriter(b, RecordingConfig(keep_raw_days=None))
    writer.start()
    t = np.arange(incident.start_us, incident.end_us, 1_000_000, dtype=np.int64)
    ch = np.full(t.size, leak.leak_channel, np.uint32)
    writer.submit_samples(ch, t, np.zeros(t.size, np.float32), np.zeros(t.size, np.uint8))
    writer.stop()
    try:
        with pytest.raises(IncidentFileError, match="already holds other samples"):
            import_incident(b, path)
        assert IncidentLibrary(b).search() == []  # nothing half-imported
    finally:
        b.close()


def test_a_wrong_or_damaged_file_is_refused_with_a_reason(leak, exported, tmp_path):
    _, path = exported
    b = RecordingStore(tmp_path / "b.sqlite")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not an incident\n" * 10)
    truncated = tmp_path / "cut.lifeline-incident"
    truncated.write_bytes(path.read_bytes()[:6000])
    other = tmp_path / "other-version.lifeline-incident"
    shutil.copy(path, other)
    with sqlite3.connect(other) as raw:
        raw.execute("UPDATE rec_meta SET value = 'lifeline-incident/9' WHERE key = ?", [FORMAT_KEY])
    try:
        cases = [
            (tmp_path / "missing.lifeline-incident", "no such file"),
            (text_file, "not SQLite"),
            (leak.db, "no incident_format marker"),  # a recording, not an export
            (truncated, "damaged|not a Lifeline incident file"),
            (other, "lifeline-incident/9"),
        ]
        for bad, reason in cases:
            with pytest.raises(IncidentFileError, match=reason):
                import_incident(b, bad)
        with pytest.raises(FileExistsError):
            export_incident(RecordingStore(leak.db), 1, path)
    finally:
        b.close()


@pytest.fixture
def pg_store():
    schema = f"rec_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    try:
        with admin.connect():
            pass
    except Exception as exc:  # no server here: say so rather than fail
        admin.dispose()
        pytest.skip(f"no PostgreSQL at {PG_URL}: {exc}")
    store = RecordingStore(PG_URL, schema=schema)
    yield store
    store.close()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def test_an_incident_imported_into_postgresql_replays_exactly_as_in_sqlite(
    leak, exported, pg_store
):
    incident, path = exported
    imported = import_incident(pg_store, path)
    assert imported.uid == incident.uid
    a = RecordingStore(leak.db)
    try:
        assert_replays_alike(a, pg_store, incident, leak)
    finally:
        a.close()


def test_lifeline_replay_lists_exports_and_imports_incidents(leak, tmp_path, capsys):
    a = tmp_path / "a.sqlite"
    shutil.copy(leak.db, a)
    assert replay_cli.main([str(a), "--list"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if " auto " in line]
    assert len(listed) == 1 and "level 1" in listed[0]  # the leak (bookmarks may be listed too)
    incident_id = listed[0].split()[0]
    path = tmp_path / "shared.lifeline-incident"
    assert replay_cli.main([str(a), "--export", incident_id, str(path)]) == 0
    assert f"exported incident {incident_id} to {path}" in capsys.readouterr().out
    b = tmp_path / "b.sqlite"
    assert replay_cli.main([str(b), "--import", str(path)]) == 0
    assert "imported" in capsys.readouterr().out
    assert replay_cli.main([str(b), "--list"]) == 0
    assert capsys.readouterr().out.split()[1:] == listed[0].split()[1:]
    assert replay_cli.main([str(b), "--import", str(b)]) == 2  # a recording, not an export
