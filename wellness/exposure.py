"""Exposure budget arithmetic: may the reviewer reveal this item now, and for how long?

Pure functions over the cached wellness policy and the local exposure ledger, so caps
hold when the server is unreachable (invariant 4). No I/O, no clock reads: callers pass
what they measured.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from reviewer.protocol import ExposureEntry, WellnessPolicy
from wellness.durations import describe_duration


@dataclass(frozen=True)
class RevealDecision:
    """Whether a reveal may start, why not, and the longest it may last in seconds."""

    allowed: bool
    reason: str | None
    max_seconds: float


@dataclass(frozen=True)
class ExposureBudget:
    """What is left of today's exposure budget for one reviewer and one item."""

    policy: WellnessPolicy
    seconds_today: float
    reveals_for_item: int

    @property
    def seconds_left(self) -> float:
        """Reveal seconds left today (never negative)."""
        return max(0.0, float(self.policy.daily_reveal_seconds_cap) - self.seconds_today)

    def check(self) -> RevealDecision:
        """Allow a reveal only within every cap; one reveal lasts at most the policy's
        timeout and never beyond what is left of the daily budget."""
        policy = self.policy
        if not policy.reveal_enabled:
            return RevealDecision(False, "Revealing is turned off by your wellness policy.", 0.0)
        if self.reveals_for_item >= policy.max_reveals_per_item:
            return RevealDecision(
                False,
                f"You have revealed this item the maximum of {policy.max_reveals_per_item} times.",
                0.0,
            )
        left = self.seconds_left
        if left <= 0:
            limit = describe_duration(policy.daily_reveal_seconds_cap)
            return RevealDecision(
                False, f"You have reached today's reveal limit of {limit}.", 0.0
            )
        return RevealDecision(True, None, min(policy.reveal_timeout_s, left))


def day_key(ts: datetime, zone: tzinfo | None = None) -> date:
    """The calendar day of a timestamp (naive means UTC) in `zone`: the time zone the
    server counts days in, told with the policy; None is the computer's own zone."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(zone).date()


def seconds_on(entries: Iterable[ExposureEntry], day: date) -> float:
    """Total reveal seconds of ledger entries that started on local `day`."""
    return sum(e.duration_ms for e in entries if day_key(e.started_at) == day) / 1000.0


def seconds_per_day(entries: Iterable[ExposureEntry]) -> dict[date, float]:
    """Reveal seconds per local day."""
    totals: dict[date, float] = defaultdict(float)
    for entry in entries:
        totals[day_key(entry.started_at)] += entry.duration_ms / 1000.0
    return dict(totals)


def reveals_for_item(entries: Iterable[ExposureEntry], item_id: str) -> int:
    """How many reveals of `item_id` the entries hold."""
    return sum(1 for e in entries if e.item_id == item_id)
