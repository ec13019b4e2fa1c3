"""Audit rows written by one thread per server process, many rows a statement.

Every API request writes an audit row before its reply leaves (`server.audit`). Written
from each request's own threadpool hop, that was one more hop, one connection checkout
and one INSERT per request, and under load the hop queued behind other requests for a
thread and the interpreter lock. Here a request hands its row to the writer thread and
awaits it: whatever rows arrived meanwhile go in with one multi-row INSERT (group commit),
and each request's reply still waits for its own row to be committed.

A batch that fails on its data (a constraint, a value the column refuses) is written row
by row, so one bad row costs only its own request's warning; a batch that fails for any
other reason (the database is down) fails every row in it at once, without retrying, and
the requests log it as before. A request that goes away meanwhile (its client hung up)
has its row written all the same. The thread never dies of a failed write, and a thread
that is gone is started again on the next row.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future, InvalidStateError
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DataError, IntegrityError

from server.db import Database
from server.models import AuditEvent

log = logging.getLogger(__name__)

MAX_ROWS = 500
"""Rows one INSERT carries at most (well under every driver's parameter limit)."""
_INSERT = insert(AuditEvent)  # built once: its compiled form and cache key are memoized
_STOP = object()


class AuditBatcher:
    """One writer thread, started on the first row; `stop()` writes what is queued and
    ends it."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, row: dict[str, object]) -> Future[None]:
        """Queue a row; the future is done once it is committed (or failed)."""
        done: Future[None] = Future()
        self._ensure_running()
        self._queue.put((row, done))
        return done

    def stop(self, timeout: float = 5.0) -> None:
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)

    def _ensure_running(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-writer",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = []
            entry = self._queue.get()
            while True:
                if entry is _STOP:
                    stopping = True
                else:
                    batch.append(entry)
                if len(batch) >= MAX_ROWS:
                    break
                try:
                    entry = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                try:
                    self._write(batch)
                except Exception:  # noqa: BLE001 - a bug here must not stop every request
                    log.exception("the audit writer failed on a batch of %d rows", len(batch))
                    for _row, done in batch:
                        _settle(done, RuntimeError("the audit writer failed"))

    def _write(self, batch: list[tuple[dict[str, object], Future[None]]]) -> None:
        try:
            self._insert([row for row, _done in batch])
        except (DataError, IntegrityError) as exc:
            if len(batch) > 1:  # find the bad row: the others are still written
                for entry in batch:
                    self._write([entry])
                return
            _settle(batch[0][1], exc)
        except Exception as exc:  # noqa: BLE001 - the thread outlives any failed write
            for _row, done in batch:
                _settle(done, exc)
        else:
            for _row, done in batch:
                _settle(done)

    def _insert(self, rows: list[dict[str, object]]) -> None:
        with self._db.statement() as conn:
            conn.execute(_INSERT, rows)


def _settle(done: Future[None], error: BaseException | None = None) -> None:
    """Tell the request how its row went, unless it stopped waiting (cancelled)."""
    try:
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)
    except InvalidStateError:  # cancelled: its request went away, the row stands
        pass
