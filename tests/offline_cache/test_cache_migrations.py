"""Schema versions: a store of the first release is upgraded in one transaction and loses
nothing; a store of a newer workstation is refused untouched; a failed upgrade changes
nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cache_factories import TAXONOMY, make_decision, make_exposure, make_lease, make_verdict
from sqlalchemy import Engine, event
from v1_store import V1Store

import offline_cache.migrations
from offline_cache.errors import StoreError, StoreTooNew, StoreUpgradeFailed
from offline_cache.migrations import SCHEMA_VERSION, add_verdict_outbox
from offline_cache.store import LocalStore
from reviewer.protocol import PolicyReply, WellnessPolicy

POLICY = PolicyReply(taxonomies={"hate-speech": TAXONOMY},
                     wellness=WellnessPolicy(daily_reveal_seconds_cap=60), scope="default")


def v1_store_with_work(path: Path) -> dict:
    """A first-release store holding what a reviewer leaves behind mid-shift."""
    lease = make_lease("L1", ["a", "b", "c"])
    work = {
        "lease": lease,
        "pending": [make_decision("a"), make_decision("b")],
        "accepted": make_decision("x"),
        "rejected": make_decision("y"),
        "synced": [make_exposure("a"), make_exposure("x")],
        "unsynced": [make_exposure("b")],
    }
    with V1Store(path) as v1:
        v1.setting("last_server", "http://127.0.0.1:1")
        v1.policy(POLICY)
        v1.lease(lease, "demo", {"a": "decided", "b": "decided"})
        for d in work["pending"]:
            v1.decision(d, "demo", "hate-speech")
        v1.decision(work["accepted"], "demo", "hate-speech", "accepted")
        v1.decision(work["rejected"], "demo", "hate-speech", "rejected", "item not leased")
        for e in work["synced"]:
            v1.exposure(e, "demo", synced=True)
        for e in work["unsynced"]:
            v1.exposure(e, "demo", synced=False)
    return work


def assert_work_kept(store: LocalStore, work: dict) -> None:
    assert store.outbox_pending() == work["pending"]
    statuses = {e.decision.item_id: (e.status, e.reason)
                for e in store.recent_decisions("demo", limit=100)}
    assert statuses == {"a": ("pending", None), "b": ("pending", None),
                        "x": ("accepted", None), "y": ("rejected", "item not leased")}
    assert store.ledger_unsynced() == work["unsynced"]
    assert store.ledger_reveals_per_item("demo", ["a", "b", "x"]) == {"a": 1, "b": 1, "x": 1}
    assert [c.item.id for c in store.undecided_items("hate-speech", "demo")] == ["c"]
    assert [lease.lease_id for lease in store.open_leases(None, "demo")] == ["L1"]
    assert store.get_setting("last_server") == "http://127.0.0.1:1"
    assert store.cached_policy() == POLICY


def version_on_disk(path: Path) -> str | None:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()
    return None if row is None else row[0]


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_a_version_1_store_is_upgraded_in_one_transaction_and_keeps_everything(store_path):
    work = v1_store_with_work(store_path)
    seen: list[str] = []

    def statement(_conn, _cursor, sql, *_args) -> None:
        seen.append(" ".join(sql.split())[:40])

    def commit(_conn) -> None:
        seen.append("COMMIT")

    event.listen(Engine, "before_cursor_execute", statement)
    event.listen(Engine, "commit", commit)
    try:
        store = LocalStore(store_path)
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        event.remove(Engine, "commit", commit)

    with store:
        assert store.schema_version == SCHEMA_VERSION == 3
        assert version_on_disk(store_path) == "3"
        assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT"
        assert seen.count("BEGIN IMMEDIATE") == 1 and seen.count("COMMIT") == 1
        assert any(s.startswith("CREATE TABLE verdict_outbox") for s in seen)
        assert any(s.startswith("CREATE TABLE break_log") for s in seen)  # 2 -> 3
        assert_work_kept(store, work)
        verdicts = [make_verdict(work["accepted"]), make_verdict(work["rejected"])]
        for v in verdicts:
            store.verdict_add(v, username="lead")
        store.verdict_record_results([(verdicts[0].verdict_id, "accepted", None)])

    with LocalStore(store_path) as again:
        assert again.schema_version == 3
        assert_work_kept(again, work)
        assert again.verdicts_pending(username="lead") == verdicts[1:]
        assert [(e.verdict, e.status) for e in again.verdicts_recent("lead")] == [
            (verdicts[1], "pending"), (verdicts[0], "accepted")]


def test_a_version_1_store_that_never_recorded_its_version_is_upgraded(store_path):
    with V1Store(store_path, record_version=False) as v1:
        v1.decision(decision := make_decision("a"), "demo", "spam")

    with LocalStore(store_path) as store:
        assert store.schema_version == 3 and store.outbox_pending() == [decision]
    assert version_on_disk(store_path) == "3"


def test_a_store_from_a_newer_workstation_is_refused_untouched(store_path):
    with LocalStore(store_path) as store:
        store.outbox_add(decision := make_decision("a"), username="demo", queue="spam")
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE settings SET value = '4' WHERE key = 'schema_version'")

    with pytest.raises(StoreTooNew) as refused:
        LocalStore(store_path)

    message = str(refused.value)
    assert "newer Reviewer Workstation (schema 4)" in message
    assert "this version understands schema 3" in message
    assert (refused.value.found, refused.value.supported) == (4, 3)
    assert version_on_disk(store_path) == "4"
    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT decision_id FROM outbox").fetchall() == [
            (str(decision.decision_id),)]


def test_a_migration_that_fails_midway_leaves_the_store_as_it_was(store_path, monkeypatch):
    work = v1_store_with_work(store_path)

    def broken_2_to_3(c) -> None:
        c.exec_driver_sql("ALTER TABLE outbox ADD COLUMN lost TEXT")
        c.exec_driver_sql("UPDATE outbox SET status = 'accepted'")
        c.exec_driver_sql("DELETE FROM exposure_ledger")
        raise RuntimeError("a bug in migration 2 -> 3")

    monkeypatch.setattr(offline_cache.migrations, "MIGRATIONS",
                        (add_verdict_outbox, broken_2_to_3))
    with pytest.raises(StoreUpgradeFailed) as failed:
        LocalStore(store_path)

    assert "from schema 1 to 3" in str(failed.value)
    assert isinstance(failed.value.__cause__, RuntimeError)
    assert version_on_disk(store_path) == "1"
    assert "verdict_outbox" not in tables(store_path)  # step 1 -> 2 was rolled back too
    with sqlite3.connect(store_path) as db:
        assert "lost" not in {c[1] for c in db.execute("PRAGMA table_info(outbox)")}
        assert db.execute("SELECT count(*) FROM exposure_ledger").fetchone() == (3,)
    monkeypatch.undo()
    with LocalStore(store_path) as fixed:  # the next release's working migration
        assert fixed.schema_version == 3
        assert_work_kept(fixed, work)


def test_a_new_store_records_the_current_version_and_keeps_it_to_itself(store_path):
    with LocalStore(store_path) as store:
        assert store.schema_version == 3 and store.get_setting("schema_version") == "3"
        with pytest.raises(ValueError):
            store.set_setting("schema_version", "9")
    with LocalStore(store_path) as again:
        assert again.schema_version == 3


def test_an_unreadable_version_is_refused(store_path):
    LocalStore(store_path).close()
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE settings SET value = 'two' WHERE key = 'schema_version'")

    with pytest.raises(StoreError, match="unknown schema version"):
        LocalStore(store_path)


def structure(path: Path) -> dict:
    """Columns, indexes and foreign keys of every table, as SQLite describes them."""
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {
            t: (
                db.execute(f"PRAGMA table_info({t})").fetchall(),
                sorted((name, unique, [c[2] for c in db.execute(f"PRAGMA index_info('{name}')")])
                       for _, name, unique, *_ in db.execute(f"PRAGMA index_list({t})")),
                db.execute(f"PRAGMA foreign_key_list({t})").fetchall(),
            )
            for t in names
        }


def test_an_upgraded_store_has_the_same_tables_as_a_new_one(tmp_path):
    with V1Store(tmp_path / "old.db"):
        pass
    LocalStore(tmp_path / "old.db").close()
    LocalStore(tmp_path / "new.db").close()

    assert structure(tmp_path / "old.db") == structure(tmp_path / "new.db")
    assert "verdict_outbox" in structure(tmp_path / "new.db")
