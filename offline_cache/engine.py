"""The SQLite engine of the local store and its write lock: every write goes through here.

Every connection gets WAL (readers never block the writer), `synchronous=FULL` (a
committed decision survives a power cut, invariant 1), foreign keys and a busy timeout.
Automatic checkpoints are off: SQLite runs them inside whichever commit crosses the
threshold, which could be the reviewer's decision; `StoreEngine.checkpoint` runs them
from the sync thread instead (and SQLite checkpoints when the last connection closes).
Write transactions start with `BEGIN IMMEDIATE`, so two threads that both read then
write wait for each other instead of failing with "database is locked".

Writers of this process take turns on one lock (per open store) before they begin, so
none of them ever waits in SQLite's busy handler, which sleeps in growing steps (1, 2,
5, 10 ms...) and would put those steps into the reviewer's key-to-screen time. The
decision commit runs on a connection of its own (`writing_fast`): no pool, no ORM,
statements built once by the module that owns them, because it is on the GUI thread's
path. A write SQLite refuses with SQLITE_FULL leaves as `StoreFull`, from every path.
Never imports Qt, never talks to the network.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from offline_cache.errors import StoreFull

BUSY_TIMEOUT_MS = 10_000
SQLITE_FULL = 13


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


def is_disk_full(exc: BaseException) -> bool:
    """Whether SQLite refused a write with SQLITE_FULL ("database or disk is full"):
    the disk is full, or the connection's `max_page_count` was reached."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(orig, "sqlite_errorcode", None)
    return isinstance(orig, sqlite3.Error) and code is not None and code & 0xFF == SQLITE_FULL


class StoreEngine:
    """One store file's engines, its write lock and the GUI thread's own connection.

    `read()` is a short Session for queries; `writing()` a write transaction on the
    pool, `writing_fast()` one on the decision connection, `migrating()` the schema
    change at open: all after this store's other writers, and all raise `StoreFull`
    when SQLite reports a full disk.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.engine, self._writer = create_store_engine(self.path)
        self.read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write = sessionmaker(bind=self._writer, expire_on_commit=False)
        self._write_lock = threading.Lock()
        self.decision_connection: Connection = self._writer.connect()

    def close(self) -> None:
        with self._write_lock:
            self.decision_connection.close()
        self.engine.dispose()

    def compiled(self, stmt: Any) -> tuple[str, tuple[Any, ...]]:
        """SQL text and positional parameters of a statement whose columns need no type
        conversion (plain text and numbers), ready for `exec_driver_sql`. Call it before
        taking the lock: compiling a big statement is milliseconds of Python."""
        compiled = stmt.compile(dialect=self.engine.dialect)
        return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup)

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction (ORM Session), after this process's other writers."""
        with self.disk_full_is_store_full(), self._write_lock, self._write.begin() as s:
            yield s

    @contextmanager
    def writing_fast(self) -> Iterator[Connection]:
        """A write transaction on the GUI thread's own connection: no pool, no ORM."""
        with self.disk_full_is_store_full(), self._write_lock, self.decision_connection.begin():
            yield self.decision_connection

    @contextmanager
    def migrating(self) -> Iterator[Connection]:
        """The one transaction schema changes run in (on the pool, BEGIN IMMEDIATE, so a
        second process opening the same file waits for the first to finish)."""
        with self.disk_full_is_store_full(), self._write_lock, self._writer.begin() as c:
            yield c

    def checkpoint(self) -> None:
        """Copy committed pages from the WAL into the database file, without waiting for
        or blocking anyone (PASSIVE), so the WAL stays small. Call it off the GUI thread,
        outside any write: automatic checkpoints are off (see the module doc)."""
        with self.disk_full_is_store_full(), self.engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    @contextmanager
    def disk_full_is_store_full(self) -> Iterator[None]:
        """Turn SQLite's SQLITE_FULL into `StoreFull`. Outermost, so that it also sees a
        COMMIT that fails (a full disk shows when the WAL is written)."""
        try:
            yield
        except (DBAPIError, sqlite3.Error) as exc:
            if is_disk_full(exc):
                raise StoreFull(self.path) from exc
            raise
