"""Incidents (proposed from alarm episodes or bookmarked) and training sessions with their acks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: a rowid alias


def upgrade() -> None:
    op.create_table(
        "rec_incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(), nullable=False, unique=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("start_us", sa.BigInteger(), nullable=False),
        sa.Column("end_us", sa.BigInteger(), nullable=False),
        sa.Column("max_level", sa.Integer(), nullable=True),
        sa.Column("alarm_count", sa.Integer(), nullable=False),
        sa.Column("first_alarm_us", sa.BigInteger(), nullable=True),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_rec_incidents_start_us", "rec_incidents", ["start_us"])
    op.create_table(
        "rec_training_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("trainee", sa.String(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("t0_us", sa.BigInteger(), nullable=False),
        sa.Column("t1_us", sa.BigInteger(), nullable=False),
        sa.Column("started_us", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "rec_training_acks",
        sa.Column("id", ROW_ID, primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("alarm_id", sa.String(), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("replay_us", sa.BigInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("wall_us", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_rec_training_acks_session_id", "rec_training_acks", ["session_id"])


def downgrade() -> None:
    for table in ("rec_training_acks", "rec_training_sessions", "rec_incidents"):
        op.drop_table(table)
