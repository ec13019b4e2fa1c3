"""Per-day figures of the wellness report, computed once per local day and kept.

A month of decisions is millions of rows; the report over everyone reads these per-day
rows instead (1,000 reviewers x 30 days is 30,000). A day is computed again when any
record of that day arrived after it was last computed: exposure, decisions and breaks
each carry the server's receipt time (indexed), so finding those days is cheap. The
margin covers writes that took their receipt time before a refresh began but committed
after it. Refreshing is a write, done before the report's read transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from server.db import Database
from server.models import (
    BreakRecord,
    DecisionRecord,
    ExposureRecord,
    WellnessCategoryDayRecord,
    WellnessDayRecord,
    WellnessRollupRecord,
    utcnow,
)
from server.services.report_days import as_date, local_day
from server.services.wellness_report import (
    CategoryFigures,
    DayFigures,
    Range,
    category_figures,
    reviewer_days,
)

LATE_COMMIT_MARGIN = timedelta(minutes=2)
ANALYZE_AFTER_DAYS = 2
"""Computing this many days or more at once (a first report, a back-fill) is followed by
ANALYZE of the kept tables on PostgreSQL; the single day a live site recomputes is not."""
_RECEIVED = ((ExposureRecord.started_at, ExposureRecord.received_at),
             (DecisionRecord.decided_at, DecisionRecord.received_at),
             (BreakRecord.due_at, BreakRecord.received_at))


def _stale_days(session: Session, span: Range, computed: dict[date, datetime]) -> set[date]:
    """Days of `span` never computed, or with a record received since they were."""
    stale = {day for day in span.days() if day not in computed}
    if not computed:
        return stale
    oldest = min(computed.values()) - LATE_COMMIT_MARGIN
    dialect = session.get_bind().dialect.name
    for moment, received in _RECEIVED:
        day = local_day(moment, dialect, span.time_zone, span.start, span.end)
        query = (select(day, func.max(received))
                 .where(received > oldest, moment >= span.start, moment < span.end)
                 .group_by(day))
        for on, last in session.execute(query):
            on = as_date(on)
            if on in computed and last > computed[on] - LATE_COMMIT_MARGIN:
                stale.add(on)
    return stale


def _spans(time_zone: str, days: set[date]) -> list[Range]:
    """Runs of consecutive days, each one span to compute in one go."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return [Range.of(time_zone, run[0], run[-1]) for run in runs]


def _store(session: Session, span: Range, people: dict[tuple[str, date], DayFigures],
           kinds: dict[tuple[date, str, int], CategoryFigures], now: datetime) -> None:
    days = span.days()
    zone = WellnessDayRecord.time_zone == span.time_zone
    session.execute(delete(WellnessDayRecord).where(zone, WellnessDayRecord.day.in_(days)))
    session.execute(delete(WellnessCategoryDayRecord).where(
        WellnessCategoryDayRecord.time_zone == span.time_zone,
        WellnessCategoryDayRecord.day.in_(days)))
    session.execute(delete(WellnessRollupRecord).where(
        WellnessRollupRecord.time_zone == span.time_zone, WellnessRollupRecord.day.in_(days)))
    rows = [{"time_zone": span.time_zone, "day": day, "reviewer": who, **vars(figures)}
            for (who, day), figures in people.items()]
    if rows:
        session.execute(insert(WellnessDayRecord), rows)
    rows = [{"time_zone": span.time_zone, "day": day, "category": category,
             "severity": severity, **vars(figures)}
            for (day, category, severity), figures in kinds.items()]
    if rows:
        session.execute(insert(WellnessCategoryDayRecord), rows)
    session.execute(insert(WellnessRollupRecord), [
        {"time_zone": span.time_zone, "day": day, "computed_at": now} for day in days])


def refresh(db: Database, span: Range) -> int:
    """Bring the kept figures of `span` up to date; returns how many days were computed."""
    with db.writer() as session:
        if session.get_bind().dialect.name == "postgresql":  # one refresher at a time
            session.execute(text("SELECT pg_advisory_xact_lock(7301)"))
            session.execute(text("SET LOCAL work_mem = '64MB'"))
        now = utcnow()
        computed = dict(session.execute(
            select(WellnessRollupRecord.day, WellnessRollupRecord.computed_at).where(
                WellnessRollupRecord.time_zone == span.time_zone,
                WellnessRollupRecord.day.between(span.since, span.until))).all())
        stale = _stale_days(session, span, computed)
        for run in _spans(span.time_zone, stale):
            _store(session, run, reviewer_days(session, run), category_figures(session, run),
                   now)
        if len(stale) >= ANALYZE_AFTER_DAYS and session.get_bind().dialect.name == "postgresql":
            # Without fresh statistics, the planner takes the kept rows for a handful and
            # joins them by nested loops: seconds instead of tens of milliseconds.
            session.execute(text(f"ANALYZE {WellnessDayRecord.__tablename__}, "
                                 f"{WellnessCategoryDayRecord.__tablename__}"))
    return len(stale)


def kept_categories(session: Session, span: Range) -> dict[tuple[date, str, int], CategoryFigures]:
    query = select(*_columns(WellnessCategoryDayRecord)).where(
        WellnessCategoryDayRecord.time_zone == span.time_zone,
        WellnessCategoryDayRecord.day.between(span.since, span.until))
    found: dict[tuple[date, str, int], CategoryFigures] = defaultdict(CategoryFigures)
    for row in session.execute(query):
        found[(as_date(row.day), row.category, row.severity)] = CategoryFigures(
            row.items_decided, row.items_revealed, row.reveals, row.exposure_ms)
    return found


def _columns(model: Any) -> list[Any]:
    return list(model.__table__.columns)
