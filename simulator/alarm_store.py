"""Keeps alarm state and the closed-loop archive in SQLite, so a backend restart loses neither.

Three tables: every alarm the engine keeps (its working state as JSON), a few engine values
(sequence number, suppressed and out-of-service alarms) and the append-only step archive that the
CSV export reads. The engine marks what changed; flush() writes it in one transaction.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import BigInteger, Integer, String, Text, create_engine, delete, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool

from backend_client.protocol import AlarmStep
from simulator.alarm_state import work_from_dict, work_to_dict
from simulator.alarms import AlarmEngine, ArchivedStep

MAX_EXPORT_ROWS = 200_000


class _Base(DeclarativeBase):
    pass


class _AlarmRow(_Base):
    __tablename__ = "alarm_state"
    alarm_id: Mapped[str] = mapped_column(String, primary_key=True)
    data: Mapped[str] = mapped_column(Text)


class _MetaRow(_Base):
    __tablename__ = "engine_meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class _StepRow(_Base):
    __tablename__ = "alarm_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alarm_id: Mapped[str] = mapped_column(String, index=True)
    raised_us: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String)
    user: Mapped[str] = mapped_column(String)
    role: Mapped[str] = mapped_column(String)
    host: Mapped[str] = mapped_column(String)
    time_us: Mapped[int] = mapped_column(BigInteger, index=True)
    note: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(String)


def _wal(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class AlarmStore:
    """One SQLite file (or memory, path None) holding what the alarm engine must not forget."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self.db = create_engine(
                "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = create_engine(f"sqlite:///{Path(path)}")
            event.listen(self.db, "connect", _wal)
        self.path = path
        self.closed = False
        _Base.metadata.create_all(self.db)

    def close(self) -> None:
        """Release the database file; later flushes do nothing."""
        self.closed = True
        self.db.dispose()

    def load_into(self, engine: AlarmEngine) -> int:
        """Restore a previous run's state into a fresh engine; returns how many alarms came back."""
        with Session(self.db) as session:
            meta = {row.key: row.value for row in session.scalars(select(_MetaRow))}
            alarms = []
            for row in session.scalars(select(_AlarmRow)):
                ch = engine.index.get(row.alarm_id)
                if ch is not None:  # an alarm of another city model is left alone
                    alarms.append(work_from_dict(json.loads(row.data), ch))

        def channels(key: str) -> list[int]:
            ids = json.loads(meta.get(key, "[]"))
            return [engine.index[i] for i in ids if i in engine.index]

        engine.restore(
            int(meta.get("seq", "0")), alarms, channels("suppressed"), channels("out_of_service")
        )
        return len(alarms)

    def flush(self, engine: AlarmEngine) -> None:
        """Write what changed since the last flush in one transaction."""
        if self.closed or (not engine.dirty and not engine.archive):
            return
        ids = engine.sensors
        with Session(self.db) as session, session.begin():
            for ch in sorted(engine.dirty):
                alarm = engine.alarms.get(ch)
                if alarm is None:
                    session.execute(delete(_AlarmRow).where(_AlarmRow.alarm_id == ids[ch].id))
                else:
                    data = json.dumps(work_to_dict(alarm))
                    session.merge(_AlarmRow(alarm_id=ids[ch].id, data=data))
            meta = {
                "seq": str(engine.seq),
                "suppressed": json.dumps(sorted(ids[c].id for c in engine.suppressed)),
                "out_of_service": json.dumps(sorted(ids[c].id for c in engine.out_of_service)),
            }
            for key, value in meta.items():
                session.merge(_MetaRow(key=key, value=value))
            session.add_all(_step_row(a) for a in engine.archive)
        engine.dirty.clear()
        engine.archive.clear()

    def steps(
        self,
        alarm_id: str | None = None,
        since_us: int | None = None,
        until_us: int | None = None,
        limit: int = MAX_EXPORT_ROWS,
    ) -> list[ArchivedStep]:
        """Archived steps, oldest first, optionally of one alarm and within [since, until)."""
        query = select(_StepRow).order_by(_StepRow.time_us, _StepRow.id).limit(limit)
        if alarm_id is not None:
            query = query.where(_StepRow.alarm_id == alarm_id)
        if since_us is not None:
            query = query.where(_StepRow.time_us >= since_us)
        if until_us is not None:
            query = query.where(_StepRow.time_us < until_us)
        with Session(self.db) as session:
            return [_archived(row) for row in session.scalars(query)]


def _step_row(archived: ArchivedStep) -> _StepRow:
    s = archived.step
    return _StepRow(
        alarm_id=archived.alarm_id,
        raised_us=archived.raised_us,
        action=s.action,
        user=s.user,
        role=s.role,
        host=s.host,
        time_us=s.time_us,
        note=s.note,
        detail=s.detail,
    )


def _archived(row: _StepRow) -> ArchivedStep:
    step = AlarmStep(row.action, row.user, row.role, row.host, row.time_us, row.note, row.detail)
    return ArchivedStep(row.alarm_id, row.raised_us, step)
