"""Alembic's entry point. The server hands it an open connection (`config.attributes`), so
migrations run in the caller's transaction and on its engine (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from server.migrations.render import render_item
from server.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the migrations with `reviewer-server db upgrade`")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    render_item=render_item,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
