"""A full disk: SQLite's SQLITE_FULL leaves every write path as `StoreFull`, the refused
write keeps nothing, and the same store writes again once there is room.

The disk is filled for real through SQLite: `PRAGMA max_page_count` on every
connection of the store caps the database at its current size, so the next write that
needs a new page fails inside SQLite exactly as on a full disk. One test also fills a
real tiny filesystem (ENOSPC from the OS, where the machine allows namespaces).
"""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cache_factories import TAXONOMY, make_decision, make_exposure, make_lease, make_verdict
from small_disk import run_on_small_disk
from sqlalchemy import event

from offline_cache.errors import StoreFull
from offline_cache.store import LocalStore
from reviewer.protocol import PolicyReply, WellnessPolicy

NO_LIMIT = 1_073_741_823  # SQLite's default max_page_count


class PageLimit:
    """Sets `max_page_count` on the store's decision connection and on every pooled
    connection each time one is checked out."""

    def __init__(self, store: LocalStore) -> None:
        self.store, self.pages = store, NO_LIMIT
        event.listen(store._engine.pool, "checkout", self._checked_out)

    def _checked_out(self, dbapi_connection, _record, _proxy) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={self.pages}")

    def set(self, pages: int) -> None:
        """A limit below the current size leaves the database at its current size."""
        self.pages = pages
        raw = self.store.db.decision_connection.connection.driver_connection
        raw.execute(f"PRAGMA max_page_count={pages}")


@pytest.fixture
def limit(store: LocalStore) -> Iterator[PageLimit]:
    yield PageLimit(store)


def everything(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read past the store."""
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in names}


def big_policy(n: int) -> PolicyReply:
    return PolicyReply(taxonomies={f"queue-{q}": TAXONOMY for q in range(n + 20)},
                       wellness=WellnessPolicy(), scope="default")


# Each write path, called with a counter so that each call writes something new.
WRITES: dict[str, Callable[[LocalStore, int], object]] = {
    "outbox_add": lambda s, n: s.outbox_add(
        make_decision(f"i{n}"), username="demo", queue="spam", item_state="decided"),
    "outbox_replace": lambda s, n: s.outbox_replace(
        None, lambda _w: make_decision(f"r{n}"), username="demo", queue="spam",
        item_state="decided"),
    "verdict_add": lambda s, n: s.verdict_add(make_verdict(), username="lead"),
    "save_lease": lambda s, n: s.save_lease(
        make_lease(f"W{n}", [f"W{n}-{i}" for i in range(10)]), username="demo"),
    "ledger_add": lambda s, n: s.ledger_add(make_exposure(f"i{n}"), username="demo"),
    "set_setting": lambda s, n: s.set_setting(f"key-{n}", "v" * 300),
    "save_policy": lambda s, n: s.save_policy(big_policy(n)),
}


def fill_until_full(store: LocalStore, write: Callable[[LocalStore, int], object]) -> int:
    """Write until SQLite refuses; returns the counter of the refused write."""
    for n in range(10_000):
        try:
            write(store, n)
        except StoreFull:
            return n
    raise AssertionError("the store never filled up")


@pytest.mark.parametrize("path", WRITES)
def test_every_write_path_raises_store_full_and_writes_again_when_space_returns(
        store: LocalStore, store_path: Path, limit: PageLimit, path: str):
    write = WRITES[path]
    store.save_lease(make_lease("L0", ["i0", "i1", "r0"]), username="demo")
    limit.set(1)

    refused = fill_until_full(store, write)
    before = everything(store_path)
    with pytest.raises(StoreFull) as full:
        write(store, refused)

    assert "disk is full" in str(full.value)
    assert isinstance(full.value.__cause__, Exception)
    assert everything(store_path) == before  # the refused write kept nothing
    limit.set(NO_LIMIT)
    write(store, refused)  # the same store, no reopening
    after = everything(store_path)
    assert all(set(rows) <= set(after[t]) for t, rows in before.items() if t != "policy")
    assert after != before


def test_a_refused_decision_leaves_its_item_and_the_outbox_as_they_were(
        store: LocalStore, store_path: Path, limit: PageLimit):
    for lease in range(4):
        items = [f"i{n}" for n in range(lease * 100, lease * 100 + 100)]
        store.save_lease(make_lease(f"L{lease}", items), username="demo")
    limit.set(1)
    kept = []
    for n in range(400):
        decision = make_decision(f"i{n}")
        try:
            store.outbox_add(decision, username="demo", queue="hate-speech",
                             item_state="decided")
        except StoreFull:
            refused = decision
            break
        kept.append(decision)
    else:
        raise AssertionError("the store never filled up")

    assert store.outbox_pending(limit=1000) == kept
    assert store.cached_item(refused.item_id).state == "undecided"  # type: ignore[union-attr]
    with pytest.raises(StoreFull):  # still full: refused again, the lock is not held
        store.outbox_add(refused, username="demo", queue="hate-speech", item_state="decided")

    limit.set(NO_LIMIT)
    store.outbox_add(refused, username="demo", queue="hate-speech", item_state="decided")
    store.checkpoint()
    store.close()
    with LocalStore(store_path) as again:
        assert again.outbox_pending(limit=1000) == [*kept, refused]
        assert again.cached_item(refused.item_id).state == "decided"  # type: ignore[union-attr]


def test_a_store_on_a_really_full_disk_raises_store_full_and_recovers(tmp_path: Path):
    result = run_on_small_disk(tmp_path, "256k", textwrap.dedent("""
        import json, subprocess, sys
        from pathlib import Path
        from cache_factories import make_decision
        from offline_cache.errors import StoreFull
        from offline_cache.store import LocalStore

        disk = Path(sys.argv[1])
        store, kept, out = LocalStore(disk / "local.db"), [], {}
        for n in range(10_000):
            decision = make_decision(f"i{n}")
            try:
                store.outbox_add(decision, username="demo", queue="spam")
            except StoreFull as exc:
                out["full"], refused = str(exc), decision
                break
            kept.append(decision)
        subprocess.run(["mount", "-o", "remount,size=4m", str(disk)], check=True)
        store.outbox_add(refused, username="demo", queue="spam")
        store.checkpoint()
        store.close()
        with LocalStore(disk / "local.db") as again:
            pending = again.outbox_pending(limit=100_000)
        out["kept"] = len(kept)
        out["all_there"] = pending == [*kept, refused]
        print(json.dumps(out))
    """))

    assert "disk is full" in result["full"]
    assert result["kept"] >= 1 and result["all_there"]
