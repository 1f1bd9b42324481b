"""Record the city document: rec_cities, one row each time the backend sent its city.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rec_cities",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_rec_cities_time_us", "rec_cities", ["time_us"])


def downgrade() -> None:
    op.drop_table("rec_cities")
