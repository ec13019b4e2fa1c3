"""The wellness report, aggregated in SQL: per reviewer and day, then per team, per day,
per category and severity, with p50/p90 across reviewers and who is over or near a cap.

The database returns one row per reviewer and day (and per category and severity); only
those small results are combined here. Days are calendar days in the server's time zone
(`report_days`). Never any content: no item text, media or ids leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select, text
from sqlalchemy.orm import Session

from reviewer.protocol import WellnessReport, WellnessReportRow
from server.models import BreakRecord, DecisionRecord, ExposureRecord, Item
from server.services.report_days import as_date, local_day, utc_bounds

REPORT_WORK_MEM = "64MB"
"""PostgreSQL sorts and hashes of one report fit in memory with this (default 4MB spills)."""


EXPOSED_MS = func.round(ExposureRecord.duration_ms * func.coalesce(ExposureRecord.area, 1.0))
"""Unprotected milliseconds of a reveal: a region reveal counts by the share it showed
(as the client's caps count it)."""


def sort_in_memory(session: Session) -> None:
    """Give this read transaction room to group a month of decisions without temp files,
    and plan each statement for its own parameters: psycopg prepares a statement run five
    times, and PostgreSQL's generic plan for it cannot see how long an array parameter is
    (`wellness_totals` joins a thousand reviewers as `unnest` of arrays), so it guessed a
    handful and looped: 30 s instead of 0.3 s."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'"))
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


@dataclass
class DayFigures:
    """One reviewer's (or group's) figures for one day."""

    exposure_ms: int = 0
    reveals: int = 0
    items_decided: int = 0
    breaks_due: int = 0
    breaks_taken: int = 0

    def add(self, other: DayFigures) -> None:
        self.exposure_ms += other.exposure_ms
        self.reveals += other.reveals
        self.items_decided += other.items_decided
        self.breaks_due += other.breaks_due
        self.breaks_taken += other.breaks_taken


@dataclass(frozen=True)
class Range:
    """Local days `since`..`until` in `time_zone`, and their UTC bounds [start, end)."""

    time_zone: str
    since: date
    until: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, time_zone: str, since: date, until: date) -> Range:
        return cls(time_zone, since, until, *utc_bounds(time_zone, since, until))

    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]


def _within(query: Select[Any], column: Any, span: Range, reviewer_column: Any,
            reviewers: Iterable[str] | None) -> Select[Any]:
    query = query.where(column >= span.start, column < span.end)
    if reviewers is not None:
        query = query.where(reviewer_column.in_(list(reviewers)))
    return query


def reviewer_days(session: Session, span: Range,
                  reviewers: Iterable[str] | None = None) -> dict[tuple[str, date], DayFigures]:
    """(reviewer, day) -> figures, from three grouped queries."""
    dialect = session.get_bind().dialect.name
    figures: dict[tuple[str, date], DayFigures] = defaultdict(DayFigures)
    names = list(reviewers) if reviewers is not None else None

    day = local_day(ExposureRecord.started_at, dialect, span.time_zone, span.start, span.end)
    query = select(ExposureRecord.reviewer, day, func.count(), func.sum(EXPOSED_MS))
    query = _within(query, ExposureRecord.started_at, span, ExposureRecord.reviewer, names)
    for who, on, reveals, ms in session.execute(query.group_by(ExposureRecord.reviewer, day)):
        row = figures[(who, as_date(on))]
        row.reveals, row.exposure_ms = int(reveals), int(ms or 0)

    day = local_day(DecisionRecord.decided_at, dialect, span.time_zone, span.start, span.end)
    # distinct items in two hashable steps: a count(DISTINCT) would sort every decision
    pairs = _within(select(DecisionRecord.reviewer, day.label("day"), DecisionRecord.item_id),
                    DecisionRecord.decided_at, span, DecisionRecord.reviewer, names
                    ).group_by(DecisionRecord.reviewer, day, DecisionRecord.item_id).subquery()
    query = select(pairs.c.reviewer, pairs.c.day, func.count()).group_by(pairs.c.reviewer,
                                                                         pairs.c.day)
    for who, on, items in session.execute(query):
        figures[(who, as_date(on))].items_decided = int(items)

    day = local_day(BreakRecord.due_at, dialect, span.time_zone, span.start, span.end)
    taken = func.sum(case((BreakRecord.taken_seconds >= BreakRecord.required_seconds, 1),
                          else_=0))
    query = select(BreakRecord.reviewer, day, func.count(), taken)
    query = _within(query, BreakRecord.due_at, span, BreakRecord.reviewer, names)
    for who, on, due, done in session.execute(query.group_by(BreakRecord.reviewer, day)):
        row = figures[(who, as_date(on))]
        row.breaks_due, row.breaks_taken = int(due), int(done or 0)
    return figures


@dataclass
class CategoryFigures:
    items_decided: int = 0
    items_revealed: int = 0
    reveals: int = 0
    exposure_ms: int = 0


def category_figures(session: Session, span: Range, reviewers: Iterable[str] | None = None
                     ) -> dict[tuple[date, str, int], CategoryFigures]:
    """(day, category, severity) -> items decided and revealed that day, counting
    (reviewer, item) pairs: an item revealed on two days counts on each."""
    dialect = session.get_bind().dialect.name
    names = list(reviewers) if reviewers is not None else None
    figures: dict[tuple[date, str, int], CategoryFigures] = defaultdict(CategoryFigures)
    day = local_day(ExposureRecord.started_at, dialect, span.time_zone, span.start, span.end)
    pairs = _within(
        select(day.label("day"), ExposureRecord.category, ExposureRecord.severity,
               func.count().label("n"), func.sum(EXPOSED_MS).label("ms")),
        ExposureRecord.started_at, span, ExposureRecord.reviewer, names,
    ).group_by(day, ExposureRecord.category, ExposureRecord.severity, ExposureRecord.reviewer,
               ExposureRecord.item_id).subquery()
    query = select(pairs.c.day, pairs.c.category, pairs.c.severity, func.count(),
                   func.sum(pairs.c.n), func.sum(pairs.c.ms)
                   ).group_by(pairs.c.day, pairs.c.category, pairs.c.severity)
    for on, category, severity, items, reveals, ms in session.execute(query):
        row = figures[(as_date(on), category, int(severity))]
        row.items_revealed, row.reveals, row.exposure_ms = int(items), int(reveals), int(ms or 0)

    day = local_day(DecisionRecord.decided_at, dialect, span.time_zone, span.start, span.end)
    decided = _within(
        select(day.label("day"), DecisionRecord.item_id),
        DecisionRecord.decided_at, span, DecisionRecord.reviewer, names,
    ).group_by(day, DecisionRecord.reviewer, DecisionRecord.item_id).subquery()
    query = (select(decided.c.day, Item.category, Item.severity, func.count())
             .join(decided, decided.c.item_id == Item.id)
             .group_by(decided.c.day, Item.category, Item.severity))
    for on, category, severity, items in session.execute(query):
        figures[(as_date(on), category, int(severity))].items_decided = int(items)
    return figures


def wellness_report(session: Session, *, reviewer: str | None, since: date | None,
                    until: date | None, time_zone: str = "UTC") -> WellnessReport:
    """Per reviewer and day: decisions, reveals, reveal time and the highest severity
    revealed. The range is cut to the days that hold records (open ends reach to the oldest
    and newest): a range of centuries costs what the data costs, not a loop over its hours."""
    first, last = _extent(session)
    if first is None or last is None:
        return WellnessReport(rows=[])
    since, until = max(since or first, first), min(until or last, last)
    if since > until:
        return WellnessReport(rows=[])
    span = Range.of(time_zone, since, until)
    sort_in_memory(session)
    dialect = session.get_bind().dialect.name
    names = [reviewer] if reviewer else None
    day = local_day(ExposureRecord.started_at, dialect, time_zone, span.start, span.end)
    rows: dict[tuple[str, date], dict[str, int]] = defaultdict(
        lambda: {"decisions": 0, "reveals": 0, "reveal_ms": 0, "max_severity": -1})
    query = _within(select(ExposureRecord.reviewer, day, func.count(),
                           func.sum(EXPOSED_MS), func.max(ExposureRecord.severity)),
                    ExposureRecord.started_at, span, ExposureRecord.reviewer, names)
    for who, on, reveals, ms, severity in session.execute(
            query.group_by(ExposureRecord.reviewer, day)):
        row = rows[(who, as_date(on))]
        row.update(reveals=int(reveals), reveal_ms=int(ms or 0), max_severity=int(severity))
    day = local_day(DecisionRecord.decided_at, dialect, time_zone, span.start, span.end)
    query = _within(select(DecisionRecord.reviewer, day, func.count()),
                    DecisionRecord.decided_at, span, DecisionRecord.reviewer, names)
    for who, on, decisions in session.execute(query.group_by(DecisionRecord.reviewer, day)):
        rows[(who, as_date(on))]["decisions"] = int(decisions)
    return WellnessReport(rows=[
        WellnessReportRow(
            reviewer=who, day=on, decisions=row["decisions"], reveals=row["reveals"],
            reveal_ms=row["reveal_ms"],
            max_severity_revealed=row["max_severity"] if row["max_severity"] >= 0 else None)
        for (who, on), row in sorted(rows.items())
    ])


def _extent(session: Session) -> tuple[date | None, date | None]:
    """The first and last day (UTC, widened by a day each side) with any record."""
    lows, highs = [], []
    for column in (ExposureRecord.started_at, DecisionRecord.decided_at):
        low, high = session.execute(select(func.min(column), func.max(column))).one()
        if low is not None:
            lows.append(low)
            highs.append(high)
    if not lows:
        return None, None
    return min(lows).date() - timedelta(days=1), max(highs).date() + timedelta(days=1)
