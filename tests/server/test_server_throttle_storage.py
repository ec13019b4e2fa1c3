"""The login throttle's `limits` storage in the database: a moving window's last entry
goes to one caller only, however many threads and engines (processes, in production)
race for it, on SQLite and PostgreSQL; clearing a key forgets it; rows whose window has
passed are deleted, live ones kept."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from limits import parse
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from server.db import Database
from server.models import ThrottleWindow
from server.throttle_storage import DatabaseStorage


@pytest.fixture
def databases(server_dirs: tuple[str, Path]) -> Iterator[list[Database]]:
    """Two engines on one database, as two server processes would have."""
    dbs = [Database(server_dirs[0], strict=True) for _ in range(2)]
    dbs[0].create_schema()
    yield dbs
    for db in dbs:
        db.dispose()


def _keys(db: Database) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(ThrottleWindow.key)))


def test_racing_callers_take_exactly_the_limit(databases: list[Database]) -> None:
    limiters = [MovingWindowRateLimiter(DatabaseStorage(db)) for db in databases]
    item = parse("7 per minute")

    def attempt(n: int) -> bool:
        return limiters[n % 2].hit(item, "from:192.0.2.1")

    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(attempt, range(24)))
    assert taken.count(True) == 7
    for limiter in limiters:
        stats = limiter.get_window_stats(item, "from:192.0.2.1")
        assert stats.remaining == 0 and time.time() < stats.reset_time <= time.time() + 60
        assert not limiter.test(item, "from:192.0.2.1")
    limiters[0].clear(item, "from:192.0.2.1")
    assert limiters[1].test(item, "from:192.0.2.1")
    assert limiters[1].get_window_stats(item, "from:192.0.2.1").remaining == 7


def test_rows_whose_window_has_passed_are_deleted(databases: list[Database]) -> None:
    storage = DatabaseStorage(databases[0])
    limiter = MovingWindowRateLimiter(storage)
    assert limiter.hit(parse("2 per second"), "user:short")
    assert limiter.hit(parse("2 per hour"), "user:long")
    assert limiter.hit(parse("1 per hour"), "x" * 300)  # longer than the key column
    assert len(_keys(databases[1])) == 3
    time.sleep(1.2)
    assert limiter.test(parse("2 per second"), "user:short")  # nothing left in its window
    assert storage.forget_expired() == 1
    remaining = _keys(databases[1])
    assert len(remaining) == 2 and all("user:short" not in key for key in remaining)
    assert not limiter.test(parse("1 per hour"), "x" * 300)  # still counted
