"""Initial recording schema: chunks, channels, catalogs, alarm snapshots and events, actions.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: a rowid alias


def upgrade() -> None:
    op.create_table(
        "rec_chunks",
        sa.Column("id", ROW_ID, primary_key=True),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("t_start", sa.BigInteger(), nullable=False),
        sa.Column("t_end", sa.BigInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_rec_chunks_channel_start", "rec_chunks", ["channel", "t_start"])
    op.create_index("ix_rec_chunks_end", "rec_chunks", ["t_end"])
    op.create_table(
        "rec_channels",
        sa.Column("channel", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("sensor_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("domain", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
    )
    op.create_table(
        "rec_catalogs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("server", sa.String(), nullable=False),
        sa.Column("channels", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_rec_catalogs_time_us", "rec_catalogs", ["time_us"])
    op.create_table(
        "rec_alarm_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("alarms", sa.Integer(), nullable=False),
    )
    op.create_index("ix_rec_alarm_snapshots_time_us", "rec_alarm_snapshots", ["time_us"])
    op.create_table(
        "rec_alarm_events",
        sa.Column("id", ROW_ID, primary_key=True),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=True),
        sa.Column("in_snapshot", sa.Boolean(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("alarm_id", sa.String(), nullable=False),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
    )
    op.create_index("ix_rec_alarm_events_epoch_time", "rec_alarm_events", ["epoch", "time_us"])
    op.create_index("ix_rec_alarm_events_alarm_time", "rec_alarm_events", ["alarm_id", "time_us"])
    op.create_table(
        "rec_actions",
        sa.Column("id", ROW_ID, primary_key=True),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("op", sa.String(), nullable=False),
        sa.Column("alarm_id", sa.String(), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("key", sa.String(), nullable=False, unique=True),
    )
    op.create_index("ix_rec_actions_time_us", "rec_actions", ["time_us"])
    op.create_table(
        "rec_meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "rec_meta",
        "rec_actions",
        "rec_alarm_events",
        "rec_alarm_snapshots",
        "rec_catalogs",
        "rec_channels",
        "rec_chunks",
    ):
        op.drop_table(table)
