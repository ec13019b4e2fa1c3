"""Engine and sessions. SQLite runs in WAL mode with explicit BEGINs so that every write
takes the write lock up front (BEGIN IMMEDIATE) and waits for it (busy timeout);
PostgreSQL uses `FOR UPDATE SKIP LOCKED` in the leasing service instead.

Why writes must go through `writer()`: a deferred transaction that reads and then writes
has to upgrade its read snapshot to the write lock, and SQLite answers "database is
locked" at once (no waiting) when another writer committed since the snapshot began. A
strict `Database` therefore refuses writes inside `session()`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Connection, Engine, Inspector, Table, create_engine, event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.schema import CreateIndex

from server.config import DEFAULT_BUSY_TIMEOUT, normalise_db_url
from server.models import Base

_IMMEDIATE = "sqlite_immediate"
_READ_ONLY = "read_only"

log = logging.getLogger(__name__)


class WriteOutsideWriter(RuntimeError):
    """A write was attempted in a read session; use `Database.writer()` for it."""


def _make_sqlite_engine(url: str, busy_timeout: float) -> Engine:
    engine = create_engine(
        url, connect_args={"timeout": busy_timeout, "check_same_thread": False},
        pool_size=10, max_overflow=30,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy (not the driver) decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _missing_columns(inspector: Inspector) -> list[tuple[Table, list[Column[Any]]]]:
    """(table, the model's columns the database table lacks), for every model table."""
    missing = []
    for table in Base.metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        lacking = [column for column in table.columns if column.name not in present]
        if lacking:
            missing.append((table, lacking))
    return missing


def _add_columns(conn: Connection) -> None:
    """Add the missing nullable columns and the indexes that use them (no constraints)."""
    dialect, quote = conn.dialect, conn.dialect.identifier_preparer
    # A concurrent upgrade on PostgreSQL may add the column between the look and the ALTER.
    guard = "IF NOT EXISTS " if dialect.name == "postgresql" else ""
    for table, columns in _missing_columns(inspect(conn)):
        for column in columns:
            if column.primary_key or not column.nullable:
                raise RuntimeError(f"cannot add the NOT NULL column {table.name}.{column.name}"
                                   " to an existing table; migrate this database by hand")
            conn.exec_driver_sql(
                f"ALTER TABLE {quote.format_table(table)} ADD COLUMN {guard}"
                f"{quote.format_column(column)} {column.type.compile(dialect=dialect)}")
            log.info("schema upgrade: added column %s.%s", table.name, column.name)
        added = {column.name for column in columns}
        for index in table.indexes:
            if added & {column.name for column in index.columns}:
                conn.execute(CreateIndex(index, if_not_exists=True))
                log.info("schema upgrade: added index %s", index.name)


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(_READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise WriteOutsideWriter("this session is read-only; write in Database.writer()")


def _refuse_dml(state: ORMExecuteState) -> None:
    if state.session.info.get(_READ_ONLY) and (
            state.is_insert or state.is_update or state.is_delete):
        raise WriteOutsideWriter("this session is read-only; write in Database.writer()")


class Database:
    """One engine per server; `session()` for reads, `writer()` for every write.

    `busy_timeout` (seconds) is how long a SQLite connection waits for a lock before
    "database is locked" (which the server answers with 503). `strict=True` makes
    `session()` read-only, so no write path can slip past the writer.
    """

    def __init__(self, url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
                 strict: bool = False) -> None:
        self.url = normalise_db_url(url)
        self.strict = strict
        if self.url.startswith("sqlite"):
            self.engine = _make_sqlite_engine(self.url, busy_timeout)
        else:
            self.engine = create_engine(self.url, pool_size=10, max_overflow=30,
                                        pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if strict:
            event.listen(self._sessions, "before_flush", _refuse_flush)
            event.listen(self._sessions, "do_orm_execute", _refuse_dml)
        writer_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        self._writers = sessionmaker(writer_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def create_schema(self) -> None:
        """Create missing tables, then bring tables made by an earlier version up to date by
        adding the (nullable) columns they lack, with their indexes: an upgraded server
        opens its old database without a migration step."""
        Base.metadata.create_all(self.engine)
        if not _missing_columns(inspect(self.engine)):
            return
        # Under the write lock on SQLite, looking again: another process may have done it.
        with self.engine.execution_options(**{_IMMEDIATE: True}).begin() as conn:
            _add_columns(conn)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read transaction (a consistent snapshot); read-only when `strict`."""
        with self._sessions() as session, session.begin():
            session.info[_READ_ONLY] = self.strict
            yield session

    @contextmanager
    def writer(self) -> Iterator[Session]:
        """A short write transaction that holds the write lock from its first statement
        on SQLite. Do slow work (hashing, media files, image encoding) before opening it."""
        with self._writers() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
