"""The coordinator's summary summed in SQL over the kept per-day rows (`wellness_days`):
per reviewer over the range (totals, the largest day, days over and near a cap), and per
day for everyone and for each team. 1,000 reviewers over 90 days are 90,000 kept rows;
the database returns about a thousand.

Each reviewer's caps differ (their effective policy), so the reviewers of the report go
into the query as a small table of literals with their thresholds, and the teams as
another: (reviewer, team) pairs. On PostgreSQL such a table is `unnest` of one array per
column, one parameter each; a `VALUES` list of a thousand rows took several times longer
to compile and bind than the query took to run. SQLite takes the `VALUES` list.

A day is "over" at or past a cap and "near" at `NEAR_CAP_SHARE` of it or more; a cap of
0 is over as soon as anything counts. The thresholds are worked out here, once, so the
SQL only compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    select,
    values,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from server.models import WellnessDayRecord
from server.services.report_days import as_date
from server.services.wellness_report import DayFigures, Range

NEAR_CAP_SHARE = 0.8


@dataclass(frozen=True)
class Caps:
    """A reviewer's daily caps: unprotected seconds and items decided."""

    reveal_seconds: int
    items: int


def thresholds(cap: int, scale: int = 1) -> tuple[int, float]:
    """(over at or past, near at or past) in the unit of the counted column (`scale` units
    per unit of the cap: 1000 for a cap in seconds over milliseconds)."""
    if cap <= 0:
        return 1, 1.0  # anything at all is over; "near" never comes before it
    return cap * scale, NEAR_CAP_SHARE * cap * scale


@dataclass
class ReviewerTotals:
    """One reviewer over the range."""

    figures: DayFigures
    max_day_exposure_ms: int = 0
    max_day_items: int = 0
    days_over: int = 0
    days_near: int = 0


def literal_table(session: Session, name: str, columns: list[tuple[str, TypeEngine[Any]]],
                  rows: list[tuple[Any, ...]]) -> Any:
    """`rows` as a table to join, named `name`, with `columns` (name, type)."""
    if session.get_bind().dialect.name == "postgresql":
        arrays = [bindparam(f"{name}_{label}", [row[n] for row in rows],
                            type_=postgresql.ARRAY(kind))
                  for n, (label, kind) in enumerate(columns)]
        return func.unnest(*arrays).table_valued(
            *(column(label, kind) for label, kind in columns)).render_derived(name=name)
    table = values(*(column(label, kind) for label, kind in columns), name=name)
    return table.data(rows).cte(name)


def _people(session: Session, caps: Mapping[str, Caps]) -> Any:
    rows = []
    for name, cap in caps.items():
        time_over, time_near = thresholds(cap.reveal_seconds, 1000)
        items_over, items_near = thresholds(cap.items)
        rows.append((name, time_over, time_near, items_over, items_near))
    return literal_table(session, "people", [
        ("reviewer", String()), ("time_over", Integer()), ("time_near", Float()),
        ("items_over", Integer()), ("items_near", Float())], rows)


def _kept(span: Range) -> Any:
    kept = WellnessDayRecord
    return and_(kept.time_zone == span.time_zone, kept.day.between(span.since, span.until))


def reviewer_totals(session: Session, span: Range, caps: Mapping[str, Caps]
                    ) -> dict[str, ReviewerTotals]:
    """The reviewers in `caps` that have kept rows in `span`, with their totals."""
    if not caps:
        return {}
    kept, people = WellnessDayRecord, _people(session, caps)
    over = (kept.exposure_ms >= people.c.time_over) | (kept.items_decided >= people.c.items_over)
    near = (kept.exposure_ms >= people.c.time_near) | (kept.items_decided >= people.c.items_near)
    query = (
        select(kept.reviewer, func.sum(kept.exposure_ms), func.sum(kept.reveals),
               func.sum(kept.items_decided), func.sum(kept.breaks_due),
               func.sum(kept.breaks_taken), func.max(kept.exposure_ms),
               func.max(kept.items_decided), func.sum(case((over, 1), else_=0)),
               func.sum(case((over, 0), (near, 1), else_=0)))
        .join(people, people.c.reviewer == kept.reviewer)
        .where(_kept(span)).group_by(kept.reviewer))
    return {name: ReviewerTotals(_figures(sums[:5]), *(int(value) for value in sums[5:]))
            for name, *sums in session.execute(query)}


def day_totals(session: Session, span: Range, teams: Mapping[str, Iterable[str]]
               ) -> dict[str | None, dict[date, DayFigures]]:
    """Per day, for all the reviewers in `teams` (key None) and for each of their teams;
    a team is present when it has at least one kept row in `span`."""
    if not teams:
        return {}
    kept = WellnessDayRecord
    sums = (func.sum(kept.exposure_ms), func.sum(kept.reveals), func.sum(kept.items_decided),
            func.sum(kept.breaks_due), func.sum(kept.breaks_taken))
    everyone = literal_table(session, "everyone", [("reviewer", String())],
                             [(name,) for name in teams])
    found: dict[str | None, dict[date, DayFigures]] = {}
    query = (select(kept.day, *sums).join(everyone, everyone.c.reviewer == kept.reviewer)
             .where(_kept(span)).group_by(kept.day))
    for day, *figures in session.execute(query):
        found.setdefault(None, {})[as_date(day)] = _figures(figures)
    pairs = [(name, team) for name, of in teams.items() for team in of]
    if pairs:
        members = literal_table(session, "members",
                                [("reviewer", String()), ("team", String())], pairs)
        query = (select(members.c.team, kept.day, *sums)
                 .join(members, members.c.reviewer == kept.reviewer)
                 .where(_kept(span)).group_by(members.c.team, kept.day))
        for team, day, *figures in session.execute(query):
            found.setdefault(team, {})[as_date(day)] = _figures(figures)
    return found


def _figures(sums: list[Any]) -> DayFigures:
    return DayFigures(*(int(value) for value in sums))
