"""Sharing an incident: export it to one file, import that file into another recording database.

The file is itself a recording database (SQLite, the same schema and Alembic revision) holding
only what replaying the incident needs, plus a format marker in rec_meta:

- the sample chunks overlapping [start, end], and each channel's chunk in force at start (the
  blobs copied byte for byte: samples come back bit-exact, nothing is re-encoded);
- the catalogs and city documents in force at start and those recorded within the range;
- the alarm snapshot in force at start and those within the range, with their alarm events, and
  every other alarm event within the range; the operator actions within the range;
- the incident's row (its uid is kept, so importing it twice finds the first import).

So the file opens with RecordingStore / RecordingReader / ReplaySource / lifeline-replay as it
is, has no serializer of its own to keep in step with the schema, and SQLite checks its own
integrity. Import copies the same rows into any store (SQLite or PostgreSQL) in one transaction,
renumbering snapshots (the alarm events' epochs follow) and skipping rows the target holds
already, and refuses a target that holds other samples of the same channels and time.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, create_engine, insert, or_, select, text
from sqlalchemy.pool import NullPool

from backend_client.recording.incidents import Incident, IncidentLibrary
from backend_client.recording.schema import (
    ActionRow,
    AlarmEventRow,
    CatalogRow,
    ChannelRow,
    ChunkRow,
    CityRow,
    IncidentRow,
    MetaRow,
    SnapshotRow,
)
from backend_client.recording.store import RecordingStore

FORMAT = "lifeline-incident/1"
FORMAT_KEY = "incident_format"
UID_KEY = "incident_uid"
SQLITE_MAGIC = b"SQLite format 3\x00"
KNOWN_REVISIONS = ("0001", "0002", "0003")
BATCH_ROWS = 500  # chunk rows fetched and inserted at once: bounds memory on a long incident


class IncidentFileError(ValueError):
    """A file that is not an incident file this version reads, or one that cannot be imported."""


@dataclass(frozen=True, slots=True)
class CopyCounts:
    """Rows copied from one database to another (rows the target held already not counted)."""

    chunks: int = 0
    samples: int = 0
    channels: int = 0
    catalogs: int = 0
    cities: int = 0
    snapshots: int = 0
    alarm_events: int = 0
    actions: int = 0


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What went into an incident file."""

    path: Path
    incident: Incident
    counts: CopyCounts
    bytes: int


def export_incident(
    store: RecordingStore, incident_id: int, path: str | Path, overwrite: bool = False
) -> ExportSummary:
    """Write one incident, with everything its replay needs, to a single file."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    incident = IncidentLibrary(store).get(incident_id)
    part = path.with_name(path.name + ".part")
    for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
        leftover.unlink(missing_ok=True)
    target = RecordingStore(part)
    try:
        with _snapshot(store) as src, target.engine.begin() as dst:
            counts = copy_range(src, dst, target, incident.start_us, incident.end_us)
            _insert_incident(dst, incident)
            target.set_meta(dst, FORMAT_KEY, FORMAT)
            target.set_meta(dst, UID_KEY, incident.uid)
            target.set_meta(dst, "exported_us", str(time.time_ns() // 1000))
        target.close()
        with sqlite3.connect(part) as raw:  # one self-contained file: no -wal beside it
            raw.execute("PRAGMA journal_mode=DELETE")
        os.replace(part, path)
    except BaseException:
        target.close()
        for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return ExportSummary(path, incident, counts, path.stat().st_size)


def import_incident(store: RecordingStore, path: str | Path) -> Incident:
    """Copy an incident file into this store; returns the incident as this store numbers it."""
    path = Path(path)
    uid = check_incident_file(path)
    library = IncidentLibrary(store)
    found = library.by_uid(uid)
    if found is not None:
        return found  # imported before (or exported from here): nothing to add
    source = _read_only_engine(path)
    try:
        with source.connect() as src, store.engine.begin() as dst:
            store.write_lock(dst)  # in turn with seats recording into the same database
            row = src.execute(select(IncidentRow.__table__).where(IncidentRow.uid == uid)).first()
            if row is None:
                raise IncidentFileError(f"{path}: the incident {uid!r} is missing from the file")
            copy_range(src, dst, store, int(row.start_us), int(row.end_us))
            new_id = _insert_incident(dst, row)
    finally:
        source.dispose()
    return library.get(new_id)


def check_incident_file(path: Path) -> str:
    """The incident uid of a readable incident file; IncidentFileError says what is wrong."""
    if not path.is_file():
        raise IncidentFileError(f"{path}: no such file")
    with path.open("rb") as f:
        if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise IncidentFileError(f"{path}: not a Lifeline incident file (not SQLite)")
    try:
        raw = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = raw.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise IncidentFileError(f"{path}: the file is damaged ({check})")
            meta = dict(raw.execute("SELECT key, value FROM rec_meta").fetchall())
            revision = raw.execute("SELECT version_num FROM rec_alembic_version").fetchone()
        finally:
            raw.close()
    except sqlite3.DatabaseError as exc:
        raise IncidentFileError(f"{path}: not a Lifeline incident file ({exc})") from None
    marker = meta.get(FORMAT_KEY)
    if marker is None:
        raise IncidentFileError(f"{path}: not a Lifeline incident file (no {FORMAT_KEY} marker)")
    if marker != FORMAT:
        raise IncidentFileError(f"{path}: incident format {marker!r}; this version reads {FORMAT}")
    if revision is None or revision[0] not in KNOWN_REVISIONS:
        raise IncidentFileError(
            f"{path}: written by a newer Lifeline (schema {revision and revision[0]}); upgrade"
        )
    if not meta.get(UID_KEY):
        raise IncidentFileError(f"{path}: the file names no incident ({UID_KEY} missing)")
    return meta[UID_KEY]


def _read_only_engine(path: Path) -> Engine:
    """The file opened read-only (its own URI, so no character of the path is misread)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
    )


def _snapshot(store: RecordingStore) -> Connection:
    """A connection whose reads all see one state of the database while a writer records
    (SQLite: the WAL read transaction its first read opens; PostgreSQL: REPEATABLE READ)."""
    conn = store.engine.connect()
    if store.dialect == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _insert_incident(dst: Connection, row: Any) -> int:
    values = {
        c: getattr(row, c)
        for c in (
            "uid",
            "kind",
            "title",
            "notes",
            "start_us",
            "end_us",
            "max_level",
            "alarm_count",
            "first_alarm_us",
        )
    }
    values["created_us"] = getattr(row, "created_us", None) or time.time_ns() // 1000
    return int(dst.execute(insert(IncidentRow).values(**values)).inserted_primary_key[0])


# --- copying a time range between two recording databases ---------------------------------------


def copy_range(
    src: Connection, dst: Connection, target: RecordingStore, t0_us: int, t1_us: int
) -> CopyCounts:
    """Copy what replaying [t0, t1] needs from src into dst (target is dst's store)."""
    chunks, samples, channels = _copy_chunks(src, dst, target, t0_us, t1_us)
    catalogs = _copy_documents(src, dst, CatalogRow, t0_us, t1_us)
    cities = _copy_documents(src, dst, CityRow, t0_us, t1_us)
    snapshots, events = _copy_alarms(src, dst, t0_us, t1_us)
    actions = src.execute(
        select(ActionRow.__table__)
        .where(ActionRow.time_us >= t0_us, ActionRow.time_us <= t1_us)
        .order_by(ActionRow.id)
    ).all()
    rows = [_without_id(r) for r in actions]
    if rows:
        dst.execute(target.insert_ignore(ActionRow), rows)
    return CopyCounts(chunks, samples, channels, catalogs, cities, snapshots, events, len(actions))


def _without_id(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    values.pop("id", None)
    return values


def _chunk_ids(src: Connection, t0_us: int, t1_us: int) -> list[int]:
    """Chunks overlapping [t0, t1], and each channel's latest chunk starting at or before t0."""
    stored = src.execute(select(MetaRow.value).where(MetaRow.key == "max_chunk_span_us")).scalar()
    span = int(stored or 0)
    overlapping = src.execute(
        select(ChunkRow.id).where(
            ChunkRow.t_start <= t1_us, ChunkRow.t_start >= t0_us - span, ChunkRow.t_end >= t0_us
        )
    ).scalars()
    join = "CROSS JOIN" if src.dialect.name == "sqlite" else "JOIN"  # as RecordingReader.state_at
    in_force = src.execute(
        text(
            f"SELECT c.id FROM rec_channels ch {join} rec_chunks c"
            " ON c.channel = ch.channel AND c.t_start = (SELECT max(t_start) FROM rec_chunks"
            " WHERE channel = ch.channel AND t_start <= :t)"
        ),
        {"t": int(t0_us)},
    ).scalars()
    return sorted({int(i) for i in overlapping} | {int(i) for i in in_force})


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH_ROWS):
        yield ids[start : start + BATCH_ROWS]


def _copy_chunks(
    src: Connection, dst: Connection, target: RecordingStore, t0_us: int, t1_us: int
) -> tuple[int, int, int]:
    """Chunk rows byte for byte; a chunk the target holds already is skipped, any other sample
    of the same channel and time in the target is a conflict (replay would show both)."""
    c = ChunkRow.__table__.c
    ids = _chunk_ids(src, t0_us, t1_us)
    heads = []
    for part in _batches(ids):
        heads += src.execute(
            select(c.id, c.channel, c.t_start, c.t_end, c.n).where(c.id.in_(part))
        ).all()
    if not heads:
        return 0, 0, 0
    channels = sorted({int(h.channel) for h in heads})
    lo, hi = min(int(h.t_start) for h in heads), max(int(h.t_end) for h in heads)
    held: dict[int, list[Any]] = {}
    for row in dst.execute(
        select(c.id, c.channel, c.t_start, c.t_end, c.n).where(c.t_start <= hi, c.t_end >= lo)
    ):
        held.setdefault(int(row.channel), []).append(row)
    fresh_ids = [int(h.id) for h in heads if not _held(src, dst, held.get(int(h.channel), []), h)]
    samples = 0
    for part in _batches(fresh_ids):
        rows = src.execute(select(ChunkRow.__table__).where(c.id.in_(part)).order_by(c.id)).all()
        dst.execute(insert(ChunkRow), [_without_id(r) for r in rows])
        samples += sum(int(r.n) for r in rows)
    named = src.execute(select(ChannelRow.__table__).where(ChannelRow.channel.in_(channels)))
    names = [dict(r._mapping) for r in named]
    if names:
        dst.execute(target.insert_ignore(ChannelRow), names)
    span = max(int(h.t_end) - int(h.t_start) for h in heads)
    if span > int(target.meta(dst, "max_chunk_span_us") or 0):
        target.set_meta(dst, "max_chunk_span_us", str(span))
    return len(fresh_ids), samples, len(channels)


def _held(src: Connection, dst: Connection, held: list[Any], head: Any) -> bool:
    """True when the target holds this very chunk; raises when it holds others in its span."""
    for row in held:
        if row.t_start > head.t_end or row.t_end < head.t_start:
            continue
        same = (row.t_start, row.t_end, row.n) == (head.t_start, head.t_end, head.n)
        if same:
            theirs = dst.execute(select(ChunkRow.data).where(ChunkRow.id == row.id)).scalar()
            mine = src.execute(select(ChunkRow.data).where(ChunkRow.id == head.id)).scalar()
            if bytes(theirs) == bytes(mine):
                return True
        raise IncidentFileError(
            f"the target database already holds other samples of channel {head.channel} "
            f"between {head.t_start} and {head.t_end} us; import into a database that has no "
            "recording of that time"
        )
    return False


def _copy_documents(src: Connection, dst: Connection, table: Any, t0_us: int, t1_us: int) -> int:
    """Catalogs or cities: the one in force at t0 (else the first) and those within the range."""
    t = table.__table__
    first = src.execute(
        select(t.c.id).where(t.c.time_us <= t0_us).order_by(t.c.time_us.desc(), t.c.id.desc())
    ).scalar()
    if first is None:
        first = src.execute(select(t.c.id).order_by(t.c.time_us, t.c.id)).scalar()
    rows = src.execute(
        select(t)
        .where(or_(t.c.id == first, and_(t.c.time_us > t0_us, t.c.time_us <= t1_us)))
        .order_by(t.c.id)
    ).all()
    copied = 0
    for row in rows:
        same = dst.execute(select(t.c.id, t.c.body).where(t.c.time_us == row.time_us)).all()
        if any(bytes(s.body) == bytes(row.body) for s in same):
            continue
        dst.execute(insert(t), [_without_id(row)])
        copied += 1
    return copied


def _copy_alarms(src: Connection, dst: Connection, t0_us: int, t1_us: int) -> tuple[int, int]:
    """The snapshot in force at t0 and those within the range (renumbered in the target), their
    events, and every other event within the range."""
    s, e = SnapshotRow.__table__, AlarmEventRow.__table__
    in_force = src.execute(
        select(s.c.id).where(s.c.time_us <= t0_us).order_by(s.c.time_us.desc(), s.c.id.desc())
    ).scalar()
    snapshots = src.execute(
        select(s)
        .where(or_(s.c.id == in_force, and_(s.c.time_us > t0_us, s.c.time_us <= t1_us)))
        .order_by(s.c.id)
    ).all()
    epochs: dict[int, int] = {}
    added = 0
    for snap in snapshots:
        found = dst.execute(
            select(s.c.id).where(
                s.c.time_us == snap.time_us, s.c.seq == snap.seq, s.c.alarms == snap.alarms
            )
        ).scalar()
        if found is None:
            found = dst.execute(insert(s).values(_without_id(snap))).inserted_primary_key[0]
            added += 1
        epochs[int(snap.id)] = int(found)
    ours = or_(e.c.in_snapshot.is_(True), e.c.time_us <= t1_us)
    events = src.execute(
        select(e)
        .where(
            or_(
                and_(e.c.epoch.in_(list(epochs)), ours),
                and_(e.c.time_us >= t0_us, e.c.time_us <= t1_us),
            )
        )
        .order_by(e.c.id)
    ).all()
    if not events:
        return added, 0
    rows = []
    for event in events:
        row = _without_id(event)
        row["epoch"] = epochs.get(row["epoch"]) if row["epoch"] is not None else None
        rows.append(row)
    lo, hi = min(r["time_us"] for r in rows), max(r["time_us"] for r in rows)
    fields = ("epoch", "time_us", "seq", "alarm_id", "in_snapshot", "applied", "record")
    held = {
        tuple(r)
        for r in dst.execute(
            select(*(e.c[f] for f in fields)).where(e.c.time_us >= lo, e.c.time_us <= hi)
        )
    }
    fresh = [r for r in rows if tuple(r[f] for f in fields) not in held]
    for start in range(0, len(fresh), BATCH_ROWS):
        dst.execute(insert(e), fresh[start : start + BATCH_ROWS])
    return added, len(fresh)
