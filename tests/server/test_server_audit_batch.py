"""The audit writer thread (`server.audit_batch`): rows that arrive together go in with
one statement, a bad row costs only itself, a failed write does not end the thread, and
`stop()` writes what is queued. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from server.audit_batch import AuditBatcher
from server.db import Database
from server.models import AuditEvent, utcnow


def _row(actor: str, action: str | None = "lease") -> dict[str, object]:
    return {"at": utcnow(), "actor": actor, "action": action, "target": "",
            "source": "127.0.0.1", "outcome": "200"}


def _actors(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent.actor).order_by(AuditEvent.id)))


def _statement_sizes(db: Database) -> list[int]:
    """Rows per INSERT the engine is asked to run, from now on."""
    sizes: list[int] = []

    @event.listens_for(db.engine, "before_execute")
    def _count(_conn, clause, multiparams, _params, _options) -> None:  # noqa: ANN001
        if getattr(getattr(clause, "table", None), "name", None) == "audit_events":
            sizes.append(len(multiparams) if multiparams else 1)

    return sizes


@contextmanager
def _writer_waiting(db: Database, batcher: AuditBatcher) -> Iterator[Future[None]]:
    """Other writers of audit_events held off; the batcher's writer takes a first row
    (the future yielded) and waits on the lock, so rows submitted inside the block queue
    up together. Leaving the block lets them through."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with db.writer() as session:  # SQLite: BEGIN IMMEDIATE, the one write lock
            session.execute(text("SELECT 1") if db.is_sqlite
                            else text("LOCK TABLE audit_events IN EXCLUSIVE MODE"))
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    try:
        first = batcher.submit(_row("first"))
        time.sleep(0.3)  # the writer has taken it
        yield first
    finally:
        release.set()
        holder.join()


@pytest.fixture
def db(server_dirs: tuple[str, Path]) -> Database:
    database = Database(server_dirs[0])
    database.create_schema()
    yield database
    database.dispose()


def test_rows_waiting_together_share_one_insert_and_a_bad_one_costs_only_itself(
        db: Database) -> None:
    sizes = _statement_sizes(db)
    batcher = AuditBatcher(db)
    with _writer_waiting(db, batcher) as first:
        waiting = [batcher.submit(_row("b")), batcher.submit(_row("bad", action=None)),
                   batcher.submit(_row("d"))]
    first.result(10)
    waiting[0].result(10)
    waiting[2].result(10)
    with pytest.raises(IntegrityError):
        waiting[1].result(10)
    assert _actors(db) == ["first", "b", "d"]
    assert 3 in sizes  # the three that waited together were tried as one statement
    batcher.stop()


def test_a_request_that_went_away_has_its_row_written_and_the_writer_goes_on(
        db: Database) -> None:
    """A client that hangs up cancels its request's wait for the row (asyncio cancels the
    future): the row is written all the same, and rows after it still are."""
    batcher = AuditBatcher(db)
    with _writer_waiting(db, batcher) as first:
        gone = batcher.submit(_row("gone"))
        assert gone.cancel()
    first.result(10)
    batcher.submit(_row("after")).result(10)
    assert _actors(db) == ["first", "gone", "after"]
    batcher.stop()


def test_a_failed_write_fails_its_rows_and_the_writer_goes_on(
        backend_db_url: str) -> None:
    db = Database(backend_db_url)  # no tables yet: every write fails
    batcher = AuditBatcher(db)
    try:
        failed: Future[None] = batcher.submit(_row("early"))
        with pytest.raises(DBAPIError):
            failed.result(10)
        db.create_schema()
        batcher.submit(_row("later")).result(10)
        assert _actors(db) == ["later"]
    finally:
        batcher.stop()
        db.dispose()


def test_stop_writes_what_is_queued(db: Database) -> None:
    batcher = AuditBatcher(db)
    pending = [batcher.submit(_row(f"r{n}")) for n in range(50)]
    batcher.stop()
    assert all(done.done() and done.exception() is None for done in pending)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 50
