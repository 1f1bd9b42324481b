"""Many seats, one store: seats sharing one PostgreSQL database (127.0.0.1:5432, database `test`,
or $LIFELINE_TEST_PG) start, migrate and write at the same time without losing or doubling rows.

Each test works in a schema of its own, dropped afterwards, so parallel runs never collide.
Without a reachable server the PostgreSQL tests skip and say why; with LIFELINE_REQUIRE_PG=1
(CI) they fail instead, so a missing database cannot pass unnoticed.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, create_engine, text

from backend_client.city import demo_city_path, load_city
from backend_client.recording.config import RecordingConfig
from backend_client.recording.events import ActionEvent, CatalogEvent, SnapshotEvent
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter

URL = os.environ.get("LIFELINE_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
HEAD = "0003"
T0 = 1_778_572_800_000_000
S = 1_000_000
SEATS = 4


def _together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..n-1) in n threads released at the same instant; re-raise the first failure."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    if errors:
        raise errors[0]
    return results


@pytest.fixture(scope="module")
def admin() -> Iterator[Engine]:
    engine = create_engine(URL)
    try:
        with engine.connect():
            pass
    except Exception as exc:
        engine.dispose()
        if os.environ.get("LIFELINE_REQUIRE_PG"):
            pytest.fail(f"LIFELINE_REQUIRE_PG is set but no PostgreSQL answers at {URL}: {exc}")
        pytest.skip(f"no PostgreSQL at {URL} (set LIFELINE_TEST_PG to point at one): {exc}")
    yield engine
    engine.dispose()


@pytest.fixture
def schema(admin: Engine) -> Iterator[str]:
    name = f"multiseat_{uuid.uuid4().hex[:12]}"
    yield name
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


@pytest.fixture
def seats(schema: str) -> Iterator[list[RecordingStore]]:
    """SEATS stores on one URL and schema, opened at the same instant as consoles would be."""
    stores = _together(SEATS, lambda _: RecordingStore(URL, schema=schema))
    yield stores
    for store in stores:
        store.close()


def test_seats_starting_together_create_the_schema_and_migrate_it_once(
    seats: list[RecordingStore], admin: Engine, schema: str
) -> None:
    with admin.connect() as conn:
        versions = conn.execute(text(f'SELECT version_num FROM "{schema}".rec_alembic_version'))
        assert versions.scalars().all() == [HEAD], "one version row: each migration ran once"
    again = RecordingStore(URL, schema=schema)  # a seat joining later finds it done
    again.close()


def _catalog_event(t_us: int) -> CatalogEvent:
    return CatalogEvent(t_us, "lifeline-sim", load_city(demo_city_path()).sensors)


def test_seats_recording_at_once_keep_every_sample_and_action_exactly_once(
    seats: list[RecordingStore],
) -> None:
    """District seats: each records its own channels, all see the same steps, each its requests."""
    rounds, per_round = 40, 25  # samples per channel per round
    config = RecordingConfig(chunk_samples=64, commit_interval_s=0.01, keep_raw_days=None)
    writers = [RecordingWriter(store, config) for store in seats]
    mine = [np.arange(k, 400, SEATS, dtype=np.uint32) for k in range(SEATS)]
    rng = np.random.default_rng(7)
    sent = {}  # channel -> (times, values)
    for k, channels in enumerate(mine):
        t = T0 + np.arange(rounds * per_round, dtype=np.int64) * S + k
        for ch in channels:
            sent[int(ch)] = (t, rng.normal(50, 5, t.size).astype(np.float32))

    def record(k: int) -> None:
        writer = writers[k]
        writer.start()
        writer.submit_event(_catalog_event(T0))
        writer.submit_event(SnapshotEvent(T0, 0, ()))
        for r in range(rounds):
            sl = slice(r * per_round, (r + 1) * per_round)
            ch = np.repeat(mine[k], per_round)
            t = np.concatenate([sent[int(c)][0][sl] for c in mine[k]])
            v = np.concatenate([sent[int(c)][1][sl] for c in mine[k]])
            writer.submit_samples(ch, t, v, np.zeros(ch.size, np.uint8))
            # every seat sees the same closed-loop steps on the alarm records ...
            for a in range(3):
                key = f"step-{r}-{a}"
                writer.submit_event(
                    ActionEvent(T0 + r * S, "step", "ack", "zhang", "supervisor", "desk-1", key)
                )
            # ... and records the requests it sent itself
            writer.submit_event(
                ActionEvent(T0 + r * S, "request", "ack", f"op{k}", "operator", f"desk-{k}",
                            f"req-{k}-{r}", f"A{r}", ok=True)
            )  # fmt: skip
        writer.stop()

    _together(SEATS, record)
    for writer in writers:
        assert writer.stats.failed_commits == 0, writer.stats.last_error
    reader = RecordingReader(seats[0])
    got = reader.samples(None, T0, T0 + rounds * per_round * S + SEATS)
    assert len(got) == sum(t.size for t, _ in sent.values()), "no sample lost or doubled"
    for ch in (0, 1, 2, 3, 397, 398, 399):
        mask = got.channels == ch
        assert np.array_equal(got.times_us[mask], sent[ch][0])
        assert np.array_equal(got.values[mask], sent[ch][1])
    actions = reader.actions(T0, T0 + rounds * S)
    steps = [a for a in actions if a.source == "step"]
    requests = [a for a in actions if a.source == "request"]
    assert len(steps) == rounds * 3, "a step every seat saw is recorded once"
    assert sorted(a.host for a in requests) == sorted([f"desk-{k}" for k in range(SEATS)] * rounds)


def test_an_incident_bookmarked_at_one_seat_is_found_at_another(
    seats: list[RecordingStore],
) -> None:
    incidents = pytest.importorskip("backend_client.recording.incidents")
    mark = incidents.IncidentLibrary(seats[0]).bookmark(
        "Gas smell Main St", "caller reported at 08:02", T0, T0 + 600 * S
    )
    found = incidents.IncidentLibrary(seats[1]).search("main st")
    assert [(i.id, i.title, i.notes) for i in found] == [(mark.id, mark.title, mark.notes)]


def test_the_longest_chunk_span_only_grows_when_seats_commit_at_once(
    seats: list[RecordingStore],
) -> None:
    """The reader bounds range scans by it: a smaller value written last would hide chunks."""
    writers = [
        RecordingWriter(s, RecordingConfig(chunk_samples=2, keep_raw_days=None)) for s in seats
    ]

    def record(k: int) -> None:
        span = (k + 1) * 100 * S  # seat k's chunks span (k+1) x 100 s
        writers[k].start()
        for r in range(30):
            t = np.array([T0 + r * 1000 * S, T0 + r * 1000 * S + span], np.int64)
            ch = np.full(2, k, np.uint32)
            writers[k].submit_samples(ch, t, np.ones(2, np.float32), np.zeros(2, np.uint8))
            writers[k].flush()
        writers[k].stop()

    _together(SEATS, record)
    with seats[0].engine.connect() as conn:
        assert seats[0].meta(conn, "max_chunk_span_us") == str(SEATS * 100 * S)
    reader = RecordingReader(seats[0])
    assert len(reader.samples([SEATS - 1], T0 + 150 * S, T0 + 160 * S)) == 0
    got = reader.samples(list(range(SEATS)), T0 + SEATS * 100 * S, T0 + SEATS * 100 * S + 1)
    assert got.channels.tolist() == [SEATS - 1], "the longest chunk is found from its end"


def test_sqlite_seats_starting_together_migrate_one_file_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    stores = _together(SEATS, lambda _: RecordingStore(path))
    try:
        with stores[0].engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM rec_alembic_version"))
            assert versions.scalars().all() == [HEAD]
    finally:
        for store in stores:
            store.close()
