"""Time as the workstation counts it: UTC timestamps, local calendar days, monotonic spans.

Durations always come from a monotonic clock (a wall-clock jump never bends them);
timestamps are aware and in UTC; "today" is the reviewer's local calendar day, the day
the daily caps count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from wellness.exposure import day_key

Clock = Callable[[], float]
"""A monotonic clock in seconds (`time.monotonic`; tests pass a manual one)."""

monotonic: Clock = time.monotonic


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(ts: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def today() -> date:
    """The calendar day the daily caps count now (`wellness.exposure.day_key`)."""
    return day_key(utc_now())
