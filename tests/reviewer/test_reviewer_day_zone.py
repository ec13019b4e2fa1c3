"""The daily caps count the days of the server's time zone (told with the policy), so
the client and the wellness report agree on when a reviewer's day ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from offline_cache.store import LocalStore
from reviewer import clock
from reviewer.exposure_tally import ExposureTally
from reviewer.protocol import ExposureEntry


@pytest.fixture
def kiritimati():
    clock.count_days_in("Pacific/Kiritimati")  # UTC+14: its day starts at 10:00 UTC
    yield
    clock.count_days_in(None)


def _entry(at: datetime, ms: int) -> ExposureEntry:
    return ExposureEntry(entry_id=uuid4(), item_id="i1", category="c", severity=1,
                         mode="hold", started_at=at, duration_ms=ms)


def test_days_are_the_servers_days(kiritimati, tmp_path):
    assert clock.day_of(datetime(2026, 3, 1, 9, 59, tzinfo=UTC)) == date(2026, 3, 1)
    assert clock.day_of(datetime(2026, 3, 1, 10, 0, tzinfo=UTC)) == date(2026, 3, 2)
    assert clock.day_start(date(2026, 3, 2)) == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

    with LocalStore(tmp_path / "store.sqlite3") as store:
        store.ledger_add(_entry(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), 4000), username="r")
        store.ledger_add(_entry(datetime(2026, 3, 1, 11, 0, tzinfo=UTC), 7000), username="r")
        zone = clock.day_zone()
        assert store.ledger_seconds_on(date(2026, 3, 1), "r", zone) == 4.0
        assert store.ledger_seconds_on(date(2026, 3, 2), "r", zone) == 7.0
        tally = ExposureTally(store, "r", today=lambda: date(2026, 3, 2))
        assert tally.seconds_today() == 7.0
        tally.add(_entry(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), 1000))  # the same day there
        assert tally.seconds_today() == 8.0


def test_an_unknown_zone_keeps_the_computers_own():
    clock.count_days_in("Nowhere/Atlantis")
    assert clock.day_zone() is None
    now = datetime.now(UTC)
    assert clock.day_of(now) == now.astimezone().date()
    assert clock.day_start(clock.today()) <= now < clock.day_start(clock.today()) + \
        timedelta(days=1, hours=1)
