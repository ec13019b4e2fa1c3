"""Time as the workstation counts it: UTC timestamps, calendar days, monotonic spans.

Durations always come from a monotonic clock (a wall-clock jump never bends them);
timestamps are aware and in UTC; "today" is the calendar day the daily caps count, in
the time zone the server counts its wellness report in (it comes with the policy:
`count_days_in`), so client and server agree on when a reviewer's day ends.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wellness.exposure import day_key

Clock = Callable[[], float]
"""A monotonic clock in seconds (`time.monotonic`; tests pass a manual one)."""

monotonic: Clock = _time.monotonic


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(ts: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


_day_zone: tzinfo | None = None


def count_days_in(time_zone: str | None) -> None:
    """Count the daily caps' days in `time_zone`, the server's (it comes with the policy),
    so the client and the wellness report agree on when a day ends; None: this computer's
    own zone. An unknown name keeps the computer's zone rather than failing."""
    global _day_zone
    try:
        _day_zone = ZoneInfo(time_zone) if time_zone else None
    except (ZoneInfoNotFoundError, ValueError):
        _day_zone = None


def day_zone() -> tzinfo | None:
    return _day_zone


def day_of(ts: datetime) -> date:
    """The calendar day of `ts` as the daily caps count it."""
    return day_key(ts, _day_zone)


def today() -> date:
    """The calendar day the daily caps count now."""
    return day_of(utc_now())


def day_start(day: date) -> datetime:
    """The first instant (aware) of `day` as the daily caps count it."""
    if _day_zone is None:
        return datetime.combine(day, time.min).astimezone()
    return datetime.combine(day, time.min, tzinfo=_day_zone)
