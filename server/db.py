"""Engine and sessions. SQLite runs in WAL mode with explicit BEGINs so that every write
takes the write lock up front (BEGIN IMMEDIATE) and waits for it (busy timeout);
PostgreSQL uses `FOR UPDATE SKIP LOCKED` in the leasing service instead.

Why writes must go through `writer()`: a deferred transaction that reads and then writes
has to upgrade its read snapshot to the write lock, and SQLite answers "database is
locked" at once (no waiting) when another writer committed since the snapshot began. A
strict `Database` therefore refuses writes inside `session()`.

The schema comes from the alembic revisions in `server.migrations`: a new database is
brought to head at start-up, an existing one only by `reviewer-server db upgrade`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from server import migrations
from server.config import DEFAULT_BUSY_TIMEOUT, normalise_db_url

_IMMEDIATE = "sqlite_immediate"
POOL_SIZE = 16
"""Connections each server process keeps open to PostgreSQL."""
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


class SchemaBehind(RuntimeError):
    """The database exists but its schema is older than this server's: upgrading it is an
    operator's deliberate step (`reviewer-server db upgrade`), never a side effect of start-up."""


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction that holds the schema against concurrent migrators: the write lock
    from BEGIN on SQLite (foreign keys off, so a table copy does not cascade), a
    transaction-scoped advisory lock on PostgreSQL."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:  # before BEGIN: the pragma is a no-op inside a transaction
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.execution_options(**{_IMMEDIATE: True}).begin():
                if not sqlite:
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
                yield conn
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


_MIGRATION_LOCK = 0x7265766965  # any constant shared by every server process


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
            # The pool holds as many connections as the worker runs requests at once
            # (`server.app.REQUEST_THREADS`): an overflow connection is closed when given
            # back, and a new one (a PostgreSQL backend forked, authenticated) cost more
            # than the request it served under load. The overflow is a margin, not a plan.
            self.engine = create_engine(self.url, pool_size=POOL_SIZE, max_overflow=8,
                                        pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if strict:
            event.listen(self._sessions, "before_flush", _refuse_flush)
            event.listen(self._sessions, "do_orm_execute", _refuse_dml)
        writer_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        self._writers = sessionmaker(writer_engine, expire_on_commit=False)
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def create_schema(self) -> None:
        """Make the schema of a new, empty database (the migrations up to head); accept a
        database at head; refuse (`SchemaBehind`) one that is behind, naming the command."""
        with self.engine.connect() as conn:
            found = migrations.state(conn)
        if found.current:
            return
        with _migrating(self.engine) as conn:
            found = migrations.state(conn)  # again under the lock: another process may have
            if found.empty:
                migrations.upgrade(conn)
                log.info("schema created at revision %s", found.head)
                return
        if not found.current:
            revision = found.revision or "none (made before migrations)"
            raise SchemaBehind(
                f"the database is at schema revision {revision} and this server needs "
                f"{found.head}: back it up, then run `reviewer-server db upgrade` with the "
                "same --db")

    def upgrade_schema(self) -> tuple[str | None, str]:
        """Bring the database to head (the CLI's `db upgrade`); returns (from, to)."""
        with _migrating(self.engine) as conn:
            return migrations.upgrade(conn)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read transaction (a consistent snapshot); read-only when `strict`."""
        with self._sessions() as session, session.begin():
            session.info[_READ_ONLY] = self.strict
            yield session

    @contextmanager
    def statement(self) -> Iterator[Connection]:
        """A connection for statements that each stand alone: a one-statement read, or a
        write that reads nothing first (an audit row). On PostgreSQL each runs in
        autocommit, one round trip instead of three (BEGIN, it, COMMIT) on every request's
        token lookup and audit row; on SQLite (no round trips) in one transaction."""
        if self.is_sqlite:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._autocommit.connect() as conn:
            yield conn

    @contextmanager
    def writer(self) -> Iterator[Session]:
        """A short write transaction that holds the write lock from its first statement
        on SQLite. Do slow work (hashing, media files, image encoding) before opening it."""
        with self._writers() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
