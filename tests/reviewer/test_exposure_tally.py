"""The in-memory exposure tally agrees with the local ledger, across days and batches."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import uuid4

import pytest

from offline_cache.store import LocalStore
from reviewer.exposure_tally import ExposureTally
from reviewer.protocol import ExposureEntry

DAY = date(2025, 3, 14)


def _entry(item_id: str, day: date, duration_ms: int) -> ExposureEntry:
    return ExposureEntry(entry_id=uuid4(), item_id=item_id, category="hate", severity=2,
                         mode="hold", started_at=datetime.combine(day, time(12)).astimezone(),
                         duration_ms=duration_ms)


@pytest.fixture
def store(tmp_path):
    opened = LocalStore(tmp_path / "local.db")
    yield opened
    opened.close()


def test_loads_from_the_ledger_then_follows_new_reveals(store):
    for e in (_entry("a", DAY, 1500), _entry("a", DAY, 500), _entry("b", DAY - timedelta(1), 9000)):
        store.ledger_add(e, username="demo")
    store.ledger_add(_entry("a", DAY, 7000), username="someone-else")
    tally = ExposureTally(store, "demo", today=lambda: DAY)

    tally.load(["a", "b", "c"])

    assert tally.seconds_today() == 2.0
    assert (tally.reveals("a"), tally.reveals("b"), tally.reveals("c")) == (2, 1, 0)
    for e in (_entry("a", DAY, 250), _entry("c", DAY, 1000)):
        store.ledger_add(e, username="demo")
        tally.add(e)
    assert tally.seconds_today() == 3.25
    assert (tally.reveals("a"), tally.reveals("c")) == (3, 1)


def test_a_new_day_starts_the_seconds_again_but_not_the_counts(store):
    today = [DAY]
    tally = ExposureTally(store, "demo", today=lambda: today[0])
    tally.load(["a"])
    first = _entry("a", DAY, 4000)
    store.ledger_add(first, username="demo")
    tally.add(first)
    assert tally.seconds_today() == 4.0

    today[0] = DAY + timedelta(days=1)

    assert tally.seconds_today() == 0.0
    assert tally.reveals("a") == 1
    late = _entry("a", DAY, 1000)  # a reveal that began before midnight: yesterday's
    store.ledger_add(late, username="demo")
    tally.add(late)
    assert tally.seconds_today() == 0.0 and tally.reveals("a") == 2


def test_an_item_revealed_before_it_was_loaded_is_read_from_the_ledger(store):
    tally = ExposureTally(store, "demo", today=lambda: DAY)
    for _ in range(3):
        e = _entry("x", DAY, 100)
        store.ledger_add(e, username="demo")
        tally.add(e)  # "x" was never loaded: the tally cannot know its earlier reveals

    assert tally.reveals("x") == 3
    assert tally.seconds_today() == pytest.approx(0.3)
