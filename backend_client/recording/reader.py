"""Reading a recording back: samples over a range, every channel's state at an instant, the
alarm book at an instant, operator actions. Chunks are decoded together (chunk_codec)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgpack
import numpy as np
import zstandard
from sqlalchemy import and_, func, select, text

from backend_client.city import City, Sensor, city_from_dict, sensors_from_list
from backend_client.protocol import OPEN_LOOP_STAGES, AlarmRecord, AlarmState, TelemetryBatch
from backend_client.recording.chunk_codec import decode_chunks, latest_at
from backend_client.recording.events import record_from_json
from backend_client.recording.schema import (
    ActionRow,
    AlarmEventRow,
    CatalogRow,
    ChunkRow,
    CityRow,
    MetaRow,
    SnapshotRow,
)
from backend_client.recording.store import RecordingStore


@dataclass(frozen=True, slots=True)
class RecordedAction:
    """One operator action as recorded."""

    time_us: int
    source: str
    op: str
    alarm_id: str
    user: str
    role: str
    host: str
    args: dict[str, Any]
    ok: bool | None
    result: str


def _batch(ch: np.ndarray, t: np.ndarray, v: np.ndarray, q: np.ndarray) -> TelemetryBatch:
    return TelemetryBatch("recording", 0, ch.astype(np.uint32), t, v, q)


class RecordingReader:
    """Read-only queries on a recording; safe to use while a writer records (WAL)."""

    def __init__(self, store: RecordingStore) -> None:
        self.store = store

    def time_span(self) -> tuple[int, int] | None:
        """(earliest, latest) sample time recorded, us; None when there are no samples."""
        with self.store.engine.connect() as conn:
            lo, hi = conn.execute(
                select(func.min(ChunkRow.t_start), func.max(ChunkRow.t_end))
            ).one()
        return None if lo is None else (int(lo), int(hi))

    def _max_span(self, conn: Any) -> int:
        value = conn.execute(select(MetaRow.value).where(MetaRow.key == "max_chunk_span_us"))
        return int(value.scalar() or 0)

    def samples(self, channels: Sequence[int] | None, t0_us: int, t1_us: int) -> TelemetryBatch:
        """Samples of the channels (None: every channel) with t0 <= time < t1, by channel, then
        time."""
        with self.store.engine.connect() as conn:
            span = self._max_span(conn)
            where = [
                ChunkRow.t_start < t1_us,
                ChunkRow.t_start >= t0_us - span,
                ChunkRow.t_end >= t0_us,
            ]
            if channels is not None:
                where.append(ChunkRow.channel.in_([int(c) for c in channels]))
            rows = conn.execute(
                select(ChunkRow.channel, ChunkRow.data)
                .where(*where)
                .order_by(ChunkRow.channel, ChunkRow.t_start)
            ).all()
        decoded = decode_chunks([r[0] for r in rows], [r[1] for r in rows])
        keep = (decoded.times_us >= t0_us) & (decoded.times_us < t1_us)
        ch, t = decoded.channels[keep], decoded.times_us[keep]
        v, q = decoded.values[keep], decoded.quality[keep]
        same = ch[1:] == ch[:-1]
        if not ((ch[1:] > ch[:-1]) | (same & (t[1:] >= t[:-1]))).all():
            order = np.lexsort((t, ch))  # a chunk held a late sample out of order
            ch, t, v, q = ch[order], t[order], v[order], q[order]
        return _batch(ch, t, v, q)

    def state_at(self, t_us: int) -> TelemetryBatch:
        """Every channel's latest sample at or before t (a channel with none is left out)."""
        # SQLite must loop over the channels and probe the index for each (CROSS JOIN fixes the
        # order); left to itself it scans every chunk. PostgreSQL plans the plain join well.
        join = "CROSS JOIN" if self.store.dialect == "sqlite" else "JOIN"
        query = text(
            f"SELECT c.channel, c.data FROM rec_channels ch {join} rec_chunks c"
            " ON c.channel = ch.channel AND c.t_start = (SELECT max(t_start) FROM rec_chunks"
            " WHERE channel = ch.channel AND t_start <= :t) ORDER BY c.channel, c.id"
        )
        with self.store.engine.connect() as conn:
            rows = conn.execute(query, {"t": int(t_us)}).all()
        if not rows:
            empty = np.zeros(0)
            return _batch(
                empty.astype(np.uint32),
                empty.astype(np.int64),
                empty.astype(np.float32),
                empty.astype(np.uint8),
            )
        found = latest_at([r[0] for r in rows], [r[1] for r in rows], int(t_us))
        ch = found.channels
        last = np.r_[ch[1:] != ch[:-1], True]  # a channel recorded twice: its last chunk
        return _batch(ch[last], found.times_us[last], found.values[last], found.quality[last])

    def catalog_at(self, t_us: int) -> tuple[tuple[Sensor, ...], str] | None:
        """(sensors, server) of the catalog in force at t (else the first one); None: no catalog."""
        row = self._latest_or_first(CatalogRow, (CatalogRow.body, CatalogRow.server), t_us)
        if row is None:
            return None
        raw = msgpack.unpackb(zstandard.ZstdDecompressor().decompress(row[0]), raw=False)
        return sensors_from_list(raw, "recorded catalog"), str(row[1])

    def city_at(self, t_us: int) -> City | None:
        """The city document in force at t (else the first one); None when none was recorded."""
        row = self._latest_or_first(CityRow, (CityRow.body,), t_us)
        if row is None:
            return None
        doc = json.loads(zstandard.ZstdDecompressor().decompress(row[0]))
        return city_from_dict(doc, "recorded city")

    def _latest_or_first(self, table: Any, columns: tuple[Any, ...], t_us: int) -> Any:
        with self.store.engine.connect() as conn:
            for where, order in (
                (table.time_us <= t_us, (table.time_us.desc(), table.id.desc())),
                (table.time_us > t_us, (table.time_us, table.id)),
            ):
                row = conn.execute(select(*columns).where(where).order_by(*order).limit(1)).first()
                if row is not None:
                    return row
        return None

    def epoch_at(self, t_us: int) -> int | None:
        """Id of the alarm snapshot in force at t (the latest at or before it); None before any."""
        with self.store.engine.connect() as conn:
            return self._epoch_at(conn, t_us)

    @staticmethod
    def _epoch_at(conn: Any, t_us: int) -> int | None:
        return conn.execute(
            select(SnapshotRow.id)
            .where(SnapshotRow.time_us <= t_us)
            .order_by(SnapshotRow.time_us.desc(), SnapshotRow.id.desc())
            .limit(1)
        ).scalar()

    def snapshot_between(self, t0_us: int, t1_us: int) -> bool:
        """True when an alarm snapshot was taken with t0 < time <= t1 (the book was reset)."""
        with self.store.engine.connect() as conn:
            found = conn.execute(
                select(SnapshotRow.id)
                .where(SnapshotRow.time_us > t0_us, SnapshotRow.time_us <= t1_us)
                .limit(1)
            ).scalar()
        return found is not None

    def snapshot_times(self, t0_us: int, t1_us: int) -> list[int]:
        """Times of the alarm snapshots taken with t0 < time <= t1, ascending."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(SnapshotRow.time_us)
                .where(SnapshotRow.time_us > t0_us, SnapshotRow.time_us <= t1_us)
                .order_by(SnapshotRow.time_us)
            ).scalars()
            return [int(t) for t in rows]

    def alarm_changes(self, epoch: int, t0_us: int, t1_us: int) -> list[AlarmRecord]:
        """The applied changes of snapshot `epoch` with t0 < time <= t1, in sequence order."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(AlarmEventRow.record)
                .where(
                    AlarmEventRow.epoch == epoch,
                    AlarmEventRow.in_snapshot.is_(False),
                    AlarmEventRow.applied.is_(True),
                    AlarmEventRow.time_us > t0_us,
                    AlarmEventRow.time_us <= t1_us,
                )
                .order_by(AlarmEventRow.seq, AlarmEventRow.id)
            ).scalars()
            return [record_from_json(r) for r in rows]

    def raise_times(self, t0_us: int, t1_us: int) -> list[int]:
        """Distinct times alarms were raised with t0 <= time <= t1, ascending (replay's steps)."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(AlarmEventRow.record).where(
                    AlarmEventRow.state != str(AlarmState.NORMAL),
                    AlarmEventRow.time_us >= t0_us,
                    AlarmEventRow.time_us <= t1_us,
                )
            ).scalars()
            raised = {json.loads(r)["raised"] for r in rows}  # the wire map's raised_us
        return sorted(int(t) for t in raised if t0_us <= t <= t1_us)

    def alarms_at(self, t_us: int) -> dict[str, AlarmRecord]:
        """The alarm book as it stood at t: the latest snapshot then, plus the changes after it."""
        with self.store.engine.connect() as conn:
            snap = self._epoch_at(conn, t_us)
            if snap is None:
                return {}
            base = conn.execute(
                select(AlarmEventRow.record).where(
                    AlarmEventRow.epoch == snap, AlarmEventRow.in_snapshot.is_(True)
                )
            ).scalars()
            book = {a.id: a for a in map(record_from_json, base)}
            changes = conn.execute(
                select(AlarmEventRow.record)
                .where(
                    and_(
                        AlarmEventRow.epoch == snap,
                        AlarmEventRow.in_snapshot.is_(False),
                        AlarmEventRow.applied.is_(True),
                        AlarmEventRow.time_us <= t_us,
                    )
                )
                .order_by(AlarmEventRow.seq, AlarmEventRow.id)
            ).scalars()
            for alarm in map(record_from_json, changes):
                if alarm.state == AlarmState.NORMAL and alarm.loop not in OPEN_LOOP_STAGES:
                    book.pop(alarm.id, None)  # as AlarmBook does: cleared and its loop closed
                else:
                    book[alarm.id] = alarm
        return book

    def actions(self, t0_us: int, t1_us: int) -> list[RecordedAction]:
        """Operator actions with t0 <= time < t1, oldest first."""
        a = ActionRow
        query = (
            select(
                a.time_us,
                a.source,
                a.op,
                a.alarm_id,
                a.user,
                a.role,
                a.host,
                a.args,
                a.ok,
                a.result,
            )
            .where(a.time_us >= t0_us, a.time_us < t1_us)
            .order_by(a.time_us, a.id)
        )
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            RecordedAction(
                r.time_us,
                r.source,
                r.op,
                r.alarm_id,
                r.user,
                r.role,
                r.host,
                json.loads(r.args),
                r.ok,
                r.result,
            )
            for r in rows
        ]
