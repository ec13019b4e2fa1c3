"""A `limits` storage in the server's database, so that every worker process of `serve
--workers N`, and every `serve` command on one database, counts the same login failures
(server.throttle). Never call it on the event loop: each method is a database round trip.

It backs the moving window strategy, the one the throttle used in memory, rather than the
sliding window counter that would fit a counter table more easily: the moving window is
exact (the sixth failure inside any five minutes is refused), where the counter's weighted
estimate lets a hit or two more through just after a window boundary, which a login
throttle should not. One row per key holds the times of its newest hits (at most the
limit's amount, so a row stays small). Counting a hit is an upsert that locks the row
(`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`: the row lock on PostgreSQL, the write
lock from BEGIN on SQLite) until the transaction ends, so two processes can never both
take a window's last entry. Rows whose newest hit has left the window are deleted now and
then (`forget_expired`), skipping rows another transaction holds.

The fixed window counters (`incr`, `get`, `get_expiry`) are not backed: nothing uses them.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from server.db import Database
from server.models import ThrottleWindow

KEY_LENGTH = 200  # ThrottleWindow.key's column
CLEANUP_EVERY = 60.0
"""Seconds (monotonic, per process) between two deletions of expired rows."""
CLEANUP_BATCH = 1000
"""Rows one deletion removes at most, so it stays a short transaction."""


def _row_key(key: str) -> str:
    """The key as stored: a key longer than the column (an odd address) by its digest."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _in_window(hits: list[float], now: float, expiry: float) -> list[float]:
    return [at for at in hits if at > now - expiry]


class DatabaseStorage(Storage, MovingWindowSupport):
    """Moving windows in the `throttle_windows` table; instantiated directly, never from a
    storage URI."""

    def __init__(self, db: Database, *, cleanup_every: float = CLEANUP_EVERY) -> None:
        super().__init__()
        self._db = db
        self._cleanup_every = cleanup_every
        self._next_cleanup = time.monotonic()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now, row_key = time.time(), _row_key(key)
        with self._db.writer() as session:
            hits = session.execute(self._lock_row(row_key, now)).scalar_one()
            live = _in_window(hits, now, expiry)
            taken = len(live) + amount <= limit
            if taken:
                live = ([now] * amount + live)[:limit]
                session.execute(update(ThrottleWindow).where(ThrottleWindow.key == row_key)
                                .values(hits=live, expires_at=now + expiry))
        self._forget_expired_now_and_then()
        return taken

    def _lock_row(self, row_key: str, now: float) -> Any:
        """The upsert that makes the key's row if missing, locks it either way and returns
        its hits (a new row's are empty). Its update sets a column to itself: it is there
        for the lock, and so that a refused hit leaves the row as it was."""
        insert = sqlite.insert if self._db.is_sqlite else postgresql.insert
        stmt = insert(ThrottleWindow).values(key=row_key, hits=[], expires_at=now)
        return stmt.on_conflict_do_update(
            index_elements=[ThrottleWindow.key],
            set_={"expires_at": ThrottleWindow.expires_at},
        ).returning(ThrottleWindow.hits)

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(time of the oldest hit still in the window, hits in the window)."""
        now = time.time()
        with self._db.session() as session:
            hits = session.scalar(select(ThrottleWindow.hits)
                                  .where(ThrottleWindow.key == _row_key(key)))
        live = _in_window(hits or [], now, expiry)
        return (live[-1], len(live)) if live else (now, 0)

    def clear(self, key: str) -> None:
        with self._db.writer() as session:
            session.execute(delete(ThrottleWindow).where(ThrottleWindow.key == _row_key(key)))

    def reset(self) -> int | None:
        with self._db.writer() as session:
            result = session.execute(delete(ThrottleWindow))
        return int(getattr(result, "rowcount", 0) or 0)

    def check(self) -> bool:
        try:
            with self._db.session() as session:
                session.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def forget_expired(self) -> int:
        """Delete rows whose newest hit has left the window (up to `CLEANUP_BATCH`), skipping
        rows another transaction has locked; returns how many went."""
        stale = (select(ThrottleWindow.key).where(ThrottleWindow.expires_at <= time.time())
                 .limit(CLEANUP_BATCH).with_for_update(skip_locked=True))
        with self._db.writer() as session:
            result = session.execute(
                delete(ThrottleWindow).where(ThrottleWindow.key.in_(stale)),
                execution_options={"synchronize_session": False})
        return int(getattr(result, "rowcount", 0) or 0)

    def _forget_expired_now_and_then(self) -> None:
        if time.monotonic() < self._next_cleanup:
            return
        self._next_cleanup = time.monotonic() + self._cleanup_every
        self.forget_expired()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("DatabaseStorage backs the moving window only")

    def get(self, key: str) -> int:
        raise NotImplementedError("DatabaseStorage backs the moving window only")

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("DatabaseStorage backs the moving window only")
