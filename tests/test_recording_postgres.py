"""The same recording in PostgreSQL (the server on 127.0.0.1:5432, database `test`), in a schema
of its own per run, dropped afterwards."""

from __future__ import annotations

import os
import uuid

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from backend_client.city import demo_city_path, load_city
from backend_client.protocol import AlarmRecord, AlarmState
from backend_client.recording.config import RecordingConfig
from backend_client.recording.events import (
    ActionEvent,
    AlarmChangeEvent,
    CityEvent,
    SnapshotEvent,
)
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter

URL = os.environ.get("LIFELINE_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
T0 = 1_778_572_800_000_000
S = 1_000_000


@pytest.fixture
def pg_store():
    schema = f"rec_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(URL)
    try:
        with admin.connect():
            pass
    except Exception as exc:  # no server here: say so rather than fail
        admin.dispose()
        pytest.skip(f"no PostgreSQL at {URL}: {exc}")
    store = RecordingStore(URL, schema=schema)
    yield store
    store.close()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def test_postgresql_round_trips_samples_alarms_and_actions_in_its_own_schema(pg_store) -> None:
    with pg_store.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM rec_alembic_version")).scalar()
        schema = conn.execute(text("SELECT current_schema()")).scalar()
    assert version == "0003" and schema == pg_store.schema
    rng = np.random.default_rng(2)
    n = 600
    ch = np.repeat(np.arange(3, dtype=np.uint32), n)
    t = np.tile(T0 + np.arange(n, dtype=np.int64) * S, 3)
    v = rng.normal(50, 2, 3 * n).astype(np.float32)
    q = np.zeros(3 * n, np.uint8)
    alarm = AlarmRecord("A", 1, "A", 2, AlarmState.UNACK, True, 9.0, 5.0, T0, T0 + 5 * S)
    writer = RecordingWriter(pg_store, RecordingConfig(chunk_samples=256, keep_raw_days=None))
    writer.start()
    writer.submit_samples(ch, t, v, q)
    writer.submit_event(SnapshotEvent(T0, 0, ()))
    writer.submit_event(AlarmChangeEvent(1, alarm, applied=True))
    step = ActionEvent(T0 + 6 * S, "step", "ack", "lin", "supervisor", "desk1", "k1", "A")
    writer.submit_event(step)
    writer.submit_event(step)
    city = load_city(demo_city_path())
    writer.submit_event(CityEvent(T0, city))
    writer.stop()
    assert writer.stats.failed_commits == 0, writer.stats.last_error
    reader = RecordingReader(pg_store)
    got = reader.samples([0, 1, 2], T0, T0 + n * S)
    assert np.array_equal(got.channels, ch) and np.array_equal(got.times_us, t)
    assert np.array_equal(got.values, v) and np.array_equal(got.quality, q)
    state = reader.state_at(T0 + 100 * S)
    assert state.channels.tolist() == [0, 1, 2] and (state.times_us == T0 + 100 * S).all()
    assert reader.alarms_at(T0 + 10 * S) == {"A": alarm}
    assert [a.op for a in reader.actions(T0, T0 + 10 * S)] == ["ack"]
    assert reader.city_at(T0 + S) == city
