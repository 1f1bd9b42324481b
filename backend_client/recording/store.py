"""The recording database: opened (SQLite in WAL mode, or PostgreSQL), migrated, written, pruned.

Writes come from the writer thread only, each batch in one transaction; readers open their own
connections (WAL lets them read while the writer writes).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, delete, event, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import NullPool

from backend_client.recording.config import database_url
from backend_client.recording.schema import ChannelRow, ChunkRow, MetaRow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
US_PER_DAY = 86_400_000_000
SQLITE_PAGE_BYTES = 16_384
WAL_SWITCH_TRIES = 250  # 5 s


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: seats opening one new file wait in turn
    # page size and auto-vacuum only take on a new file; 16 KiB pages hold several ~3 KiB chunks
    # (with 4 KiB pages each chunk row would leave a quarter of its page empty)
    cursor.execute(f"PRAGMA page_size={SQLITE_PAGE_BYTES}")
    cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
    for attempt in range(WAL_SWITCH_TRIES):  # a new file's switch to WAL may not wait (BUSY)
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError:
            if attempt == WAL_SWITCH_TRIES - 1:
                raise
            time.sleep(0.02)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _search_path(schema: str) -> Any:
    def set_path(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f'SET search_path TO "{schema}"')
        cursor.close()

    return set_path


def _migration_lock(connection: Connection, schema: str | None = None) -> None:
    """Hold off other seats migrating the same database until this transaction ends."""
    if connection.dialect.name == "postgresql":  # released at commit or rollback
        name = "coalesce(current_schema(), '')" if schema is None else ":schema"
        sql = f"SELECT pg_advisory_xact_lock(hashtext('lifeline-recording:' || {name}))"
        connection.execute(text(sql), {} if schema is None else {"schema": schema})
    elif connection.dialect.name == "sqlite":  # the write lock now, not at the first DDL
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic, on the store's own connection); seats
    starting together take turns (_migration_lock), so each migration runs once."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        _migration_lock(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class RecordingStore:
    """One recording database; `url` is a SQLAlchemy URL, a SQLite file path or None (default)."""

    def __init__(self, url: str | Path | None = None, schema: str | None = None) -> None:
        self.url = database_url(url)
        self.schema = schema
        if self.url.startswith("sqlite"):
            self.engine = create_engine(self.url, poolclass=NullPool)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
            if schema is not None:
                with self.engine.begin() as connection:  # IF NOT EXISTS alone races
                    _migration_lock(connection, schema)
                    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                event.listen(self.engine, "connect", _search_path(schema))
                self.engine.dispose()  # reconnect with the search path set
        upgrade(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def write_lock(self, conn: Connection) -> None:
        """Take turns with the other seats writing this PostgreSQL schema until conn's transaction
        ends: a read-then-write (the chunk-span bound) stays right and row locks never deadlock."""
        if self.dialect == "postgresql":
            key = "hashtext('lifeline-recording-write:' || coalesce(current_schema(), ''))"
            conn.execute(text(f"SELECT pg_advisory_xact_lock({key})"))

    def insert_ignore(self, table: Any) -> Any:
        """An INSERT that skips rows whose key exists (SQLite and PostgreSQL)."""
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        return dialect.insert(table).on_conflict_do_nothing()

    def upsert_channels(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        """Insert channels, or update their sensor fields from a newer catalog."""
        if not rows:
            return
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        stmt = dialect.insert(ChannelRow)
        fields = ("sensor_id", "name", "domain", "unit")
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["channel"], set_={f: stmt.excluded[f] for f in fields}
            ),
            rows,
        )

    def set_meta(self, conn: Connection, key: str, value: str) -> None:
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        stmt = dialect.insert(MetaRow).values(key=key, value=value)
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    def meta(self, conn: Connection, key: str) -> str | None:
        return conn.execute(select(MetaRow.value).where(MetaRow.key == key)).scalar()

    def prune_raw(self, keep_days: float, now_us: int) -> int:
        """Delete sample chunks whose last sample is older than keep_days; returns how many."""
        cutoff = now_us - int(keep_days * US_PER_DAY)
        with self.engine.begin() as conn:
            deleted = conn.execute(delete(ChunkRow).where(ChunkRow.t_end < cutoff)).rowcount
        if deleted and self.dialect == "sqlite":
            with self.engine.begin() as conn:
                conn.execute(text("PRAGMA incremental_vacuum"))
        return int(deleted or 0)
