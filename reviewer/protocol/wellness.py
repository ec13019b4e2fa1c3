"""Exposure, breaks and the wellness coordinator's policies and reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from reviewer.protocol.base import Name, RevealMode, Severity, WireModel
from reviewer.protocol.policy import (
    PolicySource,
    TimeZoneName,
    WellnessPolicy,
    WellnessPolicyStored,
)


class ExposureEntry(WireModel):
    entry_id: UUID
    item_id: Name
    category: Name
    severity: Severity
    mode: RevealMode
    started_at: datetime
    duration_ms: Annotated[int, Field(ge=0, le=86_400_000)]
    area: Annotated[float, Field(gt=0.0, le=1.0)] | None = None
    """A region reveal showed this share of the item (a circle around the pointer); it
    counts against the caps as `duration × area`. None: the whole item."""

    @property
    def weighted_seconds(self) -> float:
        """What this reveal costs of the daily budget."""
        return self.duration_ms / 1000.0 * (self.area if self.area is not None else 1.0)


class ExposureBatch(WireModel):
    entries: Annotated[list[ExposureEntry], Field(min_length=1, max_length=1000)]


class ExposureResults(WireModel):
    accepted: Annotated[int, Field(ge=0)]
    duplicate: Annotated[int, Field(ge=0)]
    rejected: Annotated[int, Field(ge=0)] = 0
    """Entries for items the caller never held, or outside the lease window: not stored.
    Sending them again will not change the answer."""


class WellnessReportRow(WireModel):
    reviewer: Name
    day: date
    decisions: Annotated[int, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    reveal_ms: Annotated[int, Field(ge=0)]
    max_severity_revealed: Severity | None = None


class WellnessReport(WireModel):
    rows: Annotated[list[WellnessReportRow], Field(max_length=100_000)]


class WellnessPolicies(WireModel):
    data: Annotated[list[WellnessPolicyStored], Field(max_length=10_000)]
    count: Annotated[int, Field(ge=0)]


class PolicyChange(WireModel):
    """One audited change of a scope's policy: `before`/`after` are the layer's set fields
    (None: no policy stored for the scope)."""

    at: datetime
    who: Name
    scope: Annotated[str, Field(max_length=80)]
    before: dict[str, object] | None = None
    after: dict[str, object] | None = None


class PolicyChanges(WireModel):
    data: Annotated[list[PolicyChange], Field(max_length=10_000)]
    count: Annotated[int, Field(ge=0)]


class EffectivePolicy(WireModel):
    """The policy in force for one reviewer, and the scope each value comes from: keys are
    field names, `blur_by_severity.<n>` and `categories.<name>`."""

    username: Name
    teams: Annotated[list[Name], Field(max_length=32)] = []
    policy: WellnessPolicy
    sources: Annotated[dict[str, PolicySource], Field(max_length=1000)] = {}
    time_zone: TimeZoneName = "UTC"


class BreakEntry(WireModel):
    """A break the schedule asked for, sent once it is over (taken or skipped). Idempotent
    by `break_id`: a repeat is a duplicate, never a second break."""

    break_id: UUID
    due_at: datetime
    taken_seconds: Annotated[int, Field(ge=0, le=86_400)] = 0


class BreakBatch(WireModel):
    entries: Annotated[list[BreakEntry], Field(min_length=1, max_length=1000)]


class BreakResults(WireModel):
    accepted: Annotated[int, Field(ge=0)]
    duplicate: Annotated[int, Field(ge=0)]
    rejected: Annotated[int, Field(ge=0)] = 0


CapStatus = Literal["ok", "near", "over"]


class ReviewerExposure(WireModel):
    """One reviewer over the report's range. Caps are the reviewer's effective ones."""

    reviewer: Name
    teams: Annotated[list[Name], Field(max_length=32)] = []
    exposure_s: Annotated[float, Field(ge=0)]
    """Unprotected (revealed) seconds."""
    reveals: Annotated[int, Field(ge=0)]
    items_decided: Annotated[int, Field(ge=0)]
    breaks_due: Annotated[int, Field(ge=0)]
    breaks_taken: Annotated[int, Field(ge=0)]
    max_day_exposure_s: Annotated[float, Field(ge=0)]
    max_day_items: Annotated[int, Field(ge=0)]
    daily_reveal_seconds_cap: Annotated[int, Field(ge=0)]
    daily_item_cap: Annotated[int, Field(ge=0)]
    days_over_cap: Annotated[int, Field(ge=0)]
    days_near_cap: Annotated[int, Field(ge=0)]
    cap_status: CapStatus


class TeamExposure(WireModel):
    team: Name
    reviewers: Annotated[int, Field(ge=0)]
    exposure_s: Annotated[float, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    items_decided: Annotated[int, Field(ge=0)]
    breaks_due: Annotated[int, Field(ge=0)]
    breaks_taken: Annotated[int, Field(ge=0)]
    exposure_s_p50: Annotated[float, Field(ge=0)]
    exposure_s_p90: Annotated[float, Field(ge=0)]
    over_cap: Annotated[int, Field(ge=0)]
    near_cap: Annotated[int, Field(ge=0)]


class DayExposure(WireModel):
    """One day's totals, for all reviewers in the report (`team` None) or one team."""

    day: date
    team: Name | None = None
    exposure_s: Annotated[float, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    items_decided: Annotated[int, Field(ge=0)]
    breaks_due: Annotated[int, Field(ge=0)]
    breaks_taken: Annotated[int, Field(ge=0)]


class CategoryRevealRate(WireModel):
    """Reveal rate = items revealed / items decided, counting (reviewer, item) pairs."""

    category: Name
    severity: Severity
    items_decided: Annotated[int, Field(ge=0)]
    items_revealed: Annotated[int, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    exposure_s: Annotated[float, Field(ge=0)]
    reveal_rate: Annotated[float, Field(ge=0)] | None = None


class WellnessSummary(WireModel):
    """The coordinator's report over `since`..`until` (calendar days in `time_zone`).
    p50/p90 are across the reviewers in the report (those with nothing count as 0),
    interpolated linearly between ranks (PostgreSQL's `percentile_cont`)."""

    time_zone: TimeZoneName
    since: date
    until: date
    team: Name | None = None
    near_cap_share: Annotated[float, Field(gt=0, le=1)]
    exposure_s_p50: Annotated[float, Field(ge=0)]
    exposure_s_p90: Annotated[float, Field(ge=0)]
    reviewers: Annotated[list[ReviewerExposure], Field(max_length=100_000)]
    teams: Annotated[list[TeamExposure], Field(max_length=10_000)]
    days: Annotated[list[DayExposure], Field(max_length=100_000)]
    categories: Annotated[list[CategoryRevealRate], Field(max_length=10_000)]
