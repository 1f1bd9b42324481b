"""The recording store on a real SQLite file: migrations, writer thread, reader, retention."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from backend_client.city import demo_city_path, load_city
from backend_client.protocol import AlarmRecord, AlarmState, LoopStage
from backend_client.recording.config import RecordingConfig
from backend_client.recording.events import (
    ActionEvent,
    AlarmChangeEvent,
    CityEvent,
    SnapshotEvent,
)
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import MIGRATIONS, US_PER_DAY, RecordingStore
from backend_client.recording.writer import RecordingWriter

T0 = 1_778_572_800_000_000
S = 1_000_000


def alarm(alarm_id: str, state: AlarmState, changed_us: int, loop=LoopStage.NONE) -> AlarmRecord:
    return AlarmRecord(
        alarm_id,
        1,
        alarm_id,
        3,
        state,
        state != AlarmState.NORMAL,
        30.0,
        25.0,
        T0,
        changed_us,
        loop=loop,
    )


def samples(channels, seconds, start=T0):
    """One sample a second for each channel, value = channel + second."""
    ch = np.repeat(np.asarray(channels, np.uint32)[None, :], len(seconds), 0).ravel()
    t = np.repeat(start + np.asarray(seconds, np.int64)[:, None] * S, len(channels), 1).ravel()
    v = (ch + (t - start) / S).astype(np.float32)
    return ch, t, v, np.zeros(ch.shape[0], np.uint8)


@pytest.fixture
def store(tmp_path: Path):
    st = RecordingStore(tmp_path / "rec.sqlite")
    yield st
    st.close()


def record(store: RecordingStore, *items, config: RecordingConfig | None = None) -> RecordingWriter:
    writer = RecordingWriter(store, config or RecordingConfig(chunk_samples=16, keep_raw_days=None))
    writer.start()
    for item in items:
        if isinstance(item, tuple):
            assert writer.submit_samples(*item)
        else:
            assert writer.submit_event(item)
    writer.stop()
    assert writer.stats.failed_commits == 0, writer.stats.last_error
    return writer


def test_opening_applies_the_migrations_once_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "rec.sqlite"
    RecordingStore(path).close()
    again = RecordingStore(path)  # already at head: nothing to do, nothing fails
    with again.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM rec_alembic_version")).scalar() == "0003"
    again.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"rec_chunks", "rec_alarm_events", "rec_actions", "rec_channels", "rec_cities"} <= tables


def test_a_recording_made_at_revision_0001_gains_the_city_table_and_keeps_its_samples(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO rec_chunks (channel, t_start, t_end, n, data) VALUES (1, 5, 9, 2, '')"
            )
        )
    engine.dispose()
    store = RecordingStore(path)
    try:
        with store.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM rec_alembic_version")).scalar()
            cities = conn.execute(text("SELECT count(*) FROM rec_cities")).scalar()
        assert version == "0003" and cities == 0
        assert RecordingReader(store).time_span() == (5, 9)
    finally:
        store.close()


def test_the_city_is_recorded_and_read_back_as_it_stood_at_an_instant(store) -> None:
    first = load_city(demo_city_path())
    second = replace(first, name="renamed district")
    record(store, CityEvent(T0, first), CityEvent(T0 + 10 * S, second))
    reader = RecordingReader(store)
    assert reader.city_at(T0 - S) == first  # before any: the first recorded
    assert reader.city_at(T0 + 9 * S) == first
    assert reader.city_at(T0 + 10 * S) == second


def test_samples_come_back_per_channel_in_time_order_within_a_half_open_range(store) -> None:
    writer = record(store, samples([0, 1, 2], range(100)))
    assert writer.stats.samples_written == 300
    got = RecordingReader(store).samples([2, 0], T0 + 10 * S, T0 + 40 * S)
    assert got.channels.tolist() == [0] * 30 + [2] * 30
    assert ((got.times_us[:30] - T0) // S).tolist() == list(range(10, 40))
    assert np.array_equal(got.values[30:], 2 + np.arange(10, 40, dtype=np.float32))


def test_state_at_an_instant_is_each_channels_latest_sample_at_or_before_it(store) -> None:
    record(store, samples([0, 1], range(50)), samples([2], range(30, 50)))
    state = RecordingReader(store).state_at(T0 + 20 * S + 500_000)
    assert state.channels.tolist() == [0, 1]  # channel 2 had not sampled yet
    assert ((state.times_us - T0) // S).tolist() == [20, 20]
    assert state.values.tolist() == [20.0, 21.0]
    late = RecordingReader(store).state_at(T0 + 10_000 * S)
    assert late.channels.tolist() == [0, 1, 2] and ((late.times_us - T0) // S).tolist() == [49] * 3


def test_the_alarm_book_at_an_instant_is_the_snapshot_then_plus_changes_applied_after(
    store,
) -> None:
    record(
        store,
        AlarmChangeEvent(4, alarm("X", AlarmState.UNACK, T0 + 50 * S), applied=False),
        SnapshotEvent(T0 + 100 * S, 5, (alarm("A", AlarmState.UNACK, T0 + 90 * S),)),
        AlarmChangeEvent(6, alarm("A", AlarmState.ACKED, T0 + 200 * S, LoopStage.ACKED), True),
        AlarmChangeEvent(7, alarm("B", AlarmState.UNACK, T0 + 300 * S), True),
        AlarmChangeEvent(8, alarm("A", AlarmState.NORMAL, T0 + 400 * S, LoopStage.CLOSED), True),
    )
    reader = RecordingReader(store)

    def book(seconds: int) -> dict[str, str]:
        return {k: str(a.state) for k, a in reader.alarms_at(T0 + seconds * S).items()}

    assert book(60) == {}  # before the first snapshot nothing is known for sure
    assert book(150) == {"A": "unack"}
    assert book(250) == {"A": "acked"}
    assert book(350) == {"A": "acked", "B": "unack"}
    assert book(450) == {"B": "unack"}  # cleared with its loop closed: gone, as in AlarmBook


def test_actions_are_recorded_once_however_often_they_are_seen(store) -> None:
    step = ActionEvent(
        T0,
        "step",
        "ack",
        "lin",
        "supervisor",
        "desk1",
        "step|A|1|ack|lin",
        "A",
        {"note": "checked"},
        True,
        "",
    )
    record(store, step, step)
    (action,) = RecordingReader(store).actions(T0, T0 + 1)
    assert (action.op, action.user, action.role, action.host) == (
        "ack",
        "lin",
        "supervisor",
        "desk1",
    )
    assert action.args == {"note": "checked"} and action.ok is True


def test_a_full_queue_sheds_and_counts_instead_of_blocking_the_caller(store) -> None:
    writer = RecordingWriter(
        store, RecordingConfig(queue_samples=250, queue_events=1, keep_raw_days=None)
    )
    batch = samples([0, 1], range(100))  # 200 samples
    assert writer.submit_samples(*batch)  # not started: nothing is taken off the queue
    assert not writer.submit_samples(*batch)
    assert writer.submit_event(SnapshotEvent(T0, 1, ()))
    assert not writer.submit_event(SnapshotEvent(T0, 2, ()))
    assert (writer.stats.shed_samples, writer.stats.shed_events) == (200, 1)
    writer.start()
    writer.stop()
    assert writer.stats.samples_written == 200


def test_retention_deletes_raw_chunks_older_than_the_configured_days(store) -> None:
    now = T0 + 40 * US_PER_DAY
    old = samples([0, 1], range(32), start=now - 35 * US_PER_DAY)
    recent = samples([0, 1], range(32), start=now - 2 * US_PER_DAY)
    writer = record(store, old, recent, config=RecordingConfig(chunk_samples=16, keep_raw_days=30))
    reader = RecordingReader(store)
    assert reader.time_span()[0] == now - 35 * US_PER_DAY
    assert writer.prune(now_us=now) == 4  # two channels x two chunks of 16
    assert reader.time_span() == (now - 2 * US_PER_DAY, now - 2 * US_PER_DAY + 31 * S)
    assert len(reader.samples([0, 1], 0, now)) == 64


def test_a_late_sample_comes_back_in_time_order(store) -> None:
    ch, t, v, q = samples([0], range(20))
    t[5], t[6] = t[6], t[5]  # received out of order
    record(store, (ch, t, v, q))
    got = RecordingReader(store).samples([0], T0, T0 + 20 * S)
    assert ((got.times_us - T0) // S).tolist() == list(range(20))
    assert got.values[5:7].tolist() == [v[6], v[5]]
