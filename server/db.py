"""Engine and sessions. SQLite runs in WAL mode with explicit BEGINs so that lease
assignment can take the write lock up front (BEGIN IMMEDIATE); PostgreSQL uses
`FOR UPDATE SKIP LOCKED` in the leasing service instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from server.config import normalise_db_url
from server.models import Base

_IMMEDIATE = "sqlite_immediate"


def _make_sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=10,
        max_overflow=30,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy (not the driver) decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One engine per server; `session()` for ordinary work, `writer()` for claims."""

    def __init__(self, url: str) -> None:
        self.url = normalise_db_url(url)
        if self.url.startswith("sqlite"):
            self.engine = _make_sqlite_engine(self.url)
        else:
            self.engine = create_engine(self.url, pool_size=10, max_overflow=30,
                                        pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        writer_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        self._writers = sessionmaker(writer_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def create_schema(self) -> None:
        Base.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def writer(self) -> Iterator[Session]:
        """A transaction that holds the write lock from its first statement on SQLite."""
        with self._writers() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
