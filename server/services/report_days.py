"""Calendar days in the server's time zone, in SQL, on SQLite and PostgreSQL alike.

Timestamps are stored as naive UTC. PostgreSQL converts them with its own zone database;
SQLite has none, so the UTC offsets in force over the queried range (they change at most
twice a year) are worked out here with `zoneinfo` and applied with a CASE. Both give the
same day for the same instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement


def utc_bounds(time_zone: str, since: date, until: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the local days `since`..`until` (both included)."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(since, time.min, zone).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, zone).astimezone(UTC)
    return start, end


def _offsets(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """(from this UTC instant on, offset in minutes), over [start, end), hour by hour."""
    segments: list[tuple[datetime, int]] = []
    moment = start.replace(minute=0, second=0, microsecond=0)
    while moment < end + timedelta(hours=1):
        offset = moment.astimezone(zone).utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        if not segments or segments[-1][1] != minutes:
            segments.append((moment, minutes))
        moment += timedelta(hours=1)
    return segments


def local_day(column: Any, dialect: str, time_zone: str, start: datetime,
              end: datetime) -> ColumnElement[Any]:
    """The local calendar day of `column` (a naive UTC timestamp) for rows in [start, end)."""
    if dialect == "postgresql":
        return cast(func.timezone(time_zone, func.timezone("UTC", column)), Date)
    segments = _offsets(ZoneInfo(time_zone), start, end)
    if len(segments) == 1:
        if segments[0][1] == 0:
            return func.date(column)
        return func.date(column, literal(f"{segments[0][1]:+d} minutes", String))
    modifier = case(
        *[(column < boundary, f"{minutes:+d} minutes")
          for (_s, minutes), (boundary, _m) in zip(segments, segments[1:], strict=False)],
        else_=f"{segments[-1][1]:+d} minutes")
    return func.date(column, modifier)


def as_date(value: Any) -> date:
    """A day as the driver returns it (a date on PostgreSQL, text on SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def today(time_zone: str) -> date:
    return datetime.now(ZoneInfo(time_zone)).date()
