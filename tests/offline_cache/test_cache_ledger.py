"""The exposure ledger: sums per local day, reveals per item, sync marks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import uuid4

from offline_cache.store import LocalStore
from reviewer.protocol import ExposureEntry


def entry(item_id: str, started_at: datetime, duration_ms: int) -> ExposureEntry:
    return ExposureEntry(
        entry_id=uuid4(),
        item_id=item_id,
        category="gore",
        severity=3,
        mode="toggle",
        started_at=started_at,
        duration_ms=duration_ms,
    )


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


def test_ledger_sums_per_local_day(store: LocalStore):
    today = date(2024, 5, 17)
    tomorrow = today + timedelta(days=1)
    for e in [
        entry("a", local(today, 0, 0), 1000),  # first instant of the day counts
        entry("a", local(today, 23, 59), 2500),
        entry("b", local(tomorrow, 0, 0), 7000),
    ]:
        store.ledger_add(e, username="demo")
    store.ledger_add(entry("a", local(today, 12), 9999), username="other")

    assert store.ledger_seconds_on(today, "demo") == 3.5
    assert store.ledger_seconds_on(tomorrow, "demo") == 7.0
    assert store.ledger_seconds_on(today - timedelta(days=1), "demo") == 0.0
    assert store.ledger_reveals_per_item("demo", ["a", "b", "never"]) == {"a": 2, "b": 1}
    assert store.ledger_reveals_per_item("other", ["a"]) == {"a": 1}
    assert store.ledger_reveals_per_item("demo", []) == {}


def test_ledger_sync_marks(store: LocalStore):
    entries = [entry(f"i{n}", local(date(2024, 1, 2), 10, n), 100) for n in range(4)]
    for e in entries:
        store.ledger_add(e, username="demo")
    store.ledger_add(entries[0], username="demo")  # idempotent by entry id

    assert store.ledger_unsynced() == entries
    store.ledger_mark_synced([entries[0].entry_id, str(entries[2].entry_id)])
    store.ledger_mark_synced([])

    assert store.ledger_unsynced() == [entries[1], entries[3]]
    assert store.ledger_unsynced(limit=1) == [entries[1]]
    assert store.ledger_unsynced(username="nobody") == []
    assert store.ledger_reveals_per_item("demo", ["i0"]) == {"i0": 1}  # synced still count
