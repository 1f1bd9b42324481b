"""The recording's tables as typed SQLAlchemy models; migrations/ creates and evolves them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Metadata of the recording schema (Alembic's target)."""


class ChunkRow(Base):
    """One channel's compressed samples over [t_start, t_end] (chunk_codec holds the format)."""

    __tablename__ = "rec_chunks"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    channel: Mapped[int] = mapped_column(Integer)
    t_start: Mapped[int] = mapped_column(BigInteger)
    t_end: Mapped[int] = mapped_column(BigInteger)
    n: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    __table_args__ = (
        Index("ix_rec_chunks_channel_start", "channel", "t_start"),
        Index("ix_rec_chunks_end", "t_end"),
    )


class ChannelRow(Base):
    """Every channel that has chunks, with its sensor from the latest catalog recorded."""

    __tablename__ = "rec_channels"
    channel: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sensor_id: Mapped[str] = mapped_column(String, default="")
    name: Mapped[str] = mapped_column(String, default="")
    domain: Mapped[str] = mapped_column(String, default="")
    unit: Mapped[str] = mapped_column(String, default="")


class CatalogRow(Base):
    """A sensor catalog as received in hello (msgpack list of sensor maps, zstd-compressed)."""

    __tablename__ = "rec_catalogs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    time_us: Mapped[int] = mapped_column(BigInteger, index=True)
    server: Mapped[str] = mapped_column(String)
    channels: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class CityRow(Base):
    """The city document as the backend sent it (zstd of its JSON), so replay can draw the city."""

    __tablename__ = "rec_cities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    time_us: Mapped[int] = mapped_column(BigInteger, index=True)
    name: Mapped[str] = mapped_column(String)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class SnapshotRow(Base):
    """The alarm book right after a snapshot was applied; its records are AlarmEventRows."""

    __tablename__ = "rec_alarm_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    time_us: Mapped[int] = mapped_column(BigInteger, index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    alarms: Mapped[int] = mapped_column(Integer)


class AlarmEventRow(Base):
    """One full alarm record: part of a snapshot, or a change applied after snapshot `epoch`."""

    __tablename__ = "rec_alarm_events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    time_us: Mapped[int] = mapped_column(BigInteger)
    seq: Mapped[int] = mapped_column(BigInteger)
    epoch: Mapped[int | None] = mapped_column(Integer, nullable=True)  # snapshot id applied on
    in_snapshot: Mapped[bool] = mapped_column(Boolean)
    applied: Mapped[bool] = mapped_column(Boolean)  # False: buffered before a snapshot, or a gap
    alarm_id: Mapped[str] = mapped_column(String)
    channel: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String)
    record: Mapped[str] = mapped_column(Text)  # JSON of the wire map (codec.alarm_to_wire)
    __table_args__ = (
        Index("ix_rec_alarm_events_epoch_time", "epoch", "time_us"),
        Index("ix_rec_alarm_events_alarm_time", "alarm_id", "time_us"),
    )


class ActionRow(Base):
    """An operator action: a step seen on an alarm record, or a request this seat sent."""

    __tablename__ = "rec_actions"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    time_us: Mapped[int] = mapped_column(BigInteger, index=True)
    source: Mapped[str] = mapped_column(String)  # "step" or "request"
    op: Mapped[str] = mapped_column(String)
    alarm_id: Mapped[str] = mapped_column(String, default="")
    user: Mapped[str] = mapped_column(String)
    role: Mapped[str] = mapped_column(String)
    host: Mapped[str] = mapped_column(String)
    args: Mapped[str] = mapped_column(Text)  # JSON
    ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")  # JSON result or the error text
    key: Mapped[str] = mapped_column(String, unique=True)  # dedupes a step seen twice


class MetaRow(Base):
    """Small facts the reader needs, e.g. the longest chunk span (bounds range scans)."""

    __tablename__ = "rec_meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class IncidentRow(Base):
    """An incident: an alarm episode proposed from the recording, or a bookmark set by hand."""

    __tablename__ = "rec_incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String, unique=True)  # the same after export and import
    kind: Mapped[str] = mapped_column(String)  # "auto" or "bookmark"
    title: Mapped[str] = mapped_column(String)
    notes: Mapped[str] = mapped_column(Text, default="")
    start_us: Mapped[int] = mapped_column(BigInteger, index=True)
    end_us: Mapped[int] = mapped_column(BigInteger)
    max_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    alarm_count: Mapped[int] = mapped_column(Integer, default=0)
    first_alarm_us: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_us: Mapped[int] = mapped_column(BigInteger)


class TrainingSessionRow(Base):
    """One trainee's replay of a time range (an incident's, usually) as a training exercise."""

    __tablename__ = "rec_training_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee: Mapped[str] = mapped_column(String)
    incident_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    t0_us: Mapped[int] = mapped_column(BigInteger)
    t1_us: Mapped[int] = mapped_column(BigInteger)
    started_us: Mapped[int] = mapped_column(BigInteger)  # wall clock


class TrainingAckRow(Base):
    """An acknowledgement made during replay: a training action, never a real operator action."""

    __tablename__ = "rec_training_acks"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer, index=True)
    alarm_id: Mapped[str] = mapped_column(String)
    user: Mapped[str] = mapped_column(String)
    replay_us: Mapped[int] = mapped_column(BigInteger)  # replay time when the trainee acked
    comment: Mapped[str] = mapped_column(Text, default="")
    wall_us: Mapped[int] = mapped_column(BigInteger)
