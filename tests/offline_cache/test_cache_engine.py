"""The engine under the store: durable WAL, passive checkpoints, one write lock, owner-only."""

from __future__ import annotations

import threading
from pathlib import Path

from cache_factories import make_decision, make_lease, make_verdict

from offline_cache.store import LocalStore


def test_sqlite_runs_durable_wal(store: LocalStore):
    with store._engine.connect() as conn:
        pragma = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout",
                      "wal_autocheckpoint")
        }

    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10_000,
        "wal_autocheckpoint": 0,  # never inside a decision's commit; see checkpoint()
    }

def test_checkpoint_moves_the_wal_into_the_database_file(store: LocalStore, store_path: Path):
    before = store_path.stat().st_size
    for n in range(300):
        store.outbox_add(make_decision(f"item-{n}"), username="demo", queue="spam")
    assert store_path.stat().st_size == before  # everything is still in the WAL

    store.checkpoint()

    assert store_path.stat().st_size > before
    assert len(store.outbox_pending(limit=1000)) == 300

def test_writers_of_one_process_never_meet_sqlites_busy_handler(store_path: Path, monkeypatch):
    """With no busy timeout at all, SQLite would fail a second concurrent writer at once
    ("database is locked"): every kind of write from many threads succeeds because the
    store's writers queue on its own lock instead."""
    import offline_cache.engine

    monkeypatch.setattr(offline_cache.engine, "BUSY_TIMEOUT_MS", 0)
    store = LocalStore(store_path)
    errors: list[BaseException] = []
    start = threading.Barrier(5)
    decisions = [make_decision(f"d-{n}") for n in range(40)]

    def run(work) -> None:
        start.wait()
        try:
            work()
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    def decide() -> None:
        for d in decisions:
            store.outbox_add(d, username="demo", queue="spam", item_state="decided")

    def lease() -> None:
        for n in range(40):
            store.save_lease(make_lease(f"L{n}", [f"L{n}-a", f"L{n}-b", f"L{n}-c"]),
                             username="demo")

    def answer() -> None:
        for d in decisions:
            store.outbox_record_results([(d.decision_id, "accepted", None)])

    def judge() -> None:
        for d in decisions:
            store.verdict_add(make_verdict(d), username="lead")

    def settings() -> None:
        for n in range(40):
            store.set_setting("last", str(n))
            store.checkpoint()

    threads = [threading.Thread(target=run, args=(w,))
               for w in (decide, lease, answer, judge, settings)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(store.recent_decisions("demo", limit=100)) == 40
        assert len(store.open_leases("hate-speech", "demo")) == 40
        assert store.verdict_count_pending(username="lead") == 40
        assert store.get_setting("last") == "39"
    finally:
        store.close()

def test_store_file_is_owner_only(store: LocalStore, store_path: Path):
    assert store_path.stat().st_mode & 0o777 == 0o600
