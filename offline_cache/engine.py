"""The SQLite engine of the local store: durable, concurrent-safe settings on every connection.

Every connection gets WAL (readers never block the writer), `synchronous=FULL` (a
committed decision survives a power cut, invariant 1), foreign keys and a busy timeout.
Automatic checkpoints are off: SQLite runs them inside whichever commit crosses the
threshold, which could be the reviewer's decision; `LocalStore.checkpoint` runs them
from the sync thread instead (and SQLite checkpoints when the last connection closes).
Write transactions start with `BEGIN IMMEDIATE`, so two threads that both read then
write wait for each other instead of failing with "database is locked".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000


def create_store_engine(path: Path) -> tuple[Engine, Engine]:
    """A reader engine and a writer view of it (same pool; writes begin IMMEDIATE)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Create the file owner-only before SQLite does; its -wal/-shm files copy the mode.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=8,
        max_overflow=8,
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine, engine.execution_options(sqlite_immediate=True)


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is always DEFERRED).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
