"""Alembic environment: runs on the connection the store hands over (config.attributes)."""

from __future__ import annotations

from alembic import context

from backend_client.recording.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic -x url=...` from a shell
    from sqlalchemy import create_engine

    url = context.get_x_argument(as_dictionary=True)["url"]
    connection = create_engine(url).connect()
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table="rec_alembic_version",
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
