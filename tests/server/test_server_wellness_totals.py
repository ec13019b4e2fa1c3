"""The summary's sums in SQL (`wellness_totals`) over kept per-day rows, on both databases:
days over and near each reviewer's own caps (seconds and items, a cap of 0 included),
the largest day, and day sums per team."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from server.db import Database
from server.models import WellnessDayRecord
from server.services.wellness_report import DayFigures, Range
from server.services.wellness_totals import Caps, day_totals, reviewer_totals

ZONE = "UTC"
# reviewer -> per day (1st, 2nd, 3rd): (exposure ms, items decided)
DAYS = {
    "ann": [(100_000, 10), (80_000, 79), (99_999, 100)],  # caps 100 s, 100 items
    "bob": [(0, 0), (1, 0), (0, 0)],  # a reveal cap of 0: one millisecond is over
    "cat": [(50_000, 8), (0, 7), (0, 6)],  # 8 items of a cap of 10 is near
}
CAPS = {"ann": Caps(100, 100), "bob": Caps(0, 100), "cat": Caps(600, 10)}
TEAMS = {"ann": ["red"], "bob": ["red", "blue"], "cat": []}


@pytest.fixture
def db(server_dirs: tuple[str, Path]) -> Iterator[Database]:
    database = Database(server_dirs[0])
    database.create_schema()
    with database.writer() as session:
        session.add_all(
            WellnessDayRecord(time_zone=ZONE, day=date(2026, 5, n + 1), reviewer=who,
                              exposure_ms=ms, reveals=1 if ms else 0, items_decided=items,
                              breaks_due=1, breaks_taken=n % 2)
            for who, days in DAYS.items() for n, (ms, items) in enumerate(days))
    yield database
    database.dispose()


def test_days_over_and_near_each_reviewers_own_caps(db: Database) -> None:
    span = Range.of(ZONE, date(2026, 5, 1), date(2026, 5, 3))
    with db.session() as session:
        totals = reviewer_totals(session, span, CAPS)
    found = {name: (t.days_over, t.days_near, t.max_day_exposure_ms, t.max_day_items)
             for name, t in totals.items()}
    assert found == {
        "ann": (2, 1, 100_000, 100),  # at the cap on the 1st and the 3rd; 80 % on the 2nd
        "bob": (1, 0, 1, 0),
        "cat": (0, 1, 50_000, 8),  # 7 and 6 of 10 items are under 80 %
    }
    assert totals["ann"].figures == DayFigures(279_999, 3, 189, 3, 1)


def test_a_reviewer_left_out_of_the_caps_is_left_out_of_the_sums(db: Database) -> None:
    span = Range.of(ZONE, date(2026, 5, 2), date(2026, 5, 2))
    with db.session() as session:
        totals = reviewer_totals(session, span, {"bob": CAPS["bob"]})
        days = day_totals(session, span, {"bob": TEAMS["bob"]})
    assert list(totals) == ["bob"] and totals["bob"].days_over == 1
    assert days == {None: {date(2026, 5, 2): DayFigures(1, 1, 0, 1, 1)},
                    "red": {date(2026, 5, 2): DayFigures(1, 1, 0, 1, 1)},
                    "blue": {date(2026, 5, 2): DayFigures(1, 1, 0, 1, 1)}}


def test_day_sums_for_everyone_and_per_team(db: Database) -> None:
    span = Range.of(ZONE, date(2026, 5, 1), date(2026, 5, 3))
    with db.session() as session:
        days = day_totals(session, span, TEAMS)
    first = date(2026, 5, 1)
    assert days[None][first] == DayFigures(150_000, 2, 18, 3, 0)
    assert days["red"][first] == DayFigures(100_000, 1, 10, 2, 0)  # ann and bob
    assert days["blue"][date(2026, 5, 2)] == DayFigures(1, 1, 0, 1, 1)  # bob alone
    assert set(days) == {None, "red", "blue"}  # cat is in no team
