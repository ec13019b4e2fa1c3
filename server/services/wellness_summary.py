"""The coordinator's report over a range of days: per reviewer, per team, per day, per
category and severity, p50/p90 across reviewers, and who is over or near a cap.

Figures come from `wellness_report` (grouped in SQL); caps are each reviewer's effective
policy (strictest wins). "Over" a cap means a day at or past it, "near" a day at
`NEAR_CAP_SHARE` of it or more; a cap of 0 is over as soon as anything counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer.protocol import (
    CapStatus,
    CategoryRevealRate,
    DayExposure,
    ReviewerExposure,
    TeamExposure,
    WellnessPolicy,
    WellnessSummary,
)
from server.db import Database
from server.models import PolicyRecord, User
from server.services.report_days import today
from server.services.wellness import merge_stored
from server.services.wellness_report import (
    CategoryFigures,
    DayFigures,
    Range,
    category_figures,
    sort_in_memory,
)
from server.services.wellness_rollup import kept_categories, kept_reviewer_days, refresh

NEAR_CAP_SHARE = 0.8
_RANK = {"ok": 0, "near": 1, "over": 2}


def percentile(values: Sequence[float], share: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's `percentile_cont`)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def cap_status(value: float, cap: int) -> CapStatus:
    if cap <= 0:
        return "over" if value > 0 else "ok"
    if value >= cap:
        return "over"
    return "near" if value >= NEAR_CAP_SHARE * cap else "ok"


@dataclass
class _Reviewer:
    name: str
    teams: list[str]
    policy: WellnessPolicy
    days: dict[date, DayFigures] = field(default_factory=dict)

    def total(self) -> DayFigures:
        total = DayFigures()
        for figures in self.days.values():
            total.add(figures)
        return total

    def day_status(self, figures: DayFigures) -> CapStatus:
        by_time = cap_status(figures.exposure_ms / 1000, self.policy.daily_reveal_seconds_cap)
        by_items = cap_status(figures.items_decided, self.policy.daily_item_cap)
        return by_time if _RANK[by_time] >= _RANK[by_items] else by_items

    def wire(self) -> ReviewerExposure:
        total = self.total()
        statuses = [self.day_status(figures) for figures in self.days.values()]
        worst = max(statuses, key=_RANK.__getitem__, default="ok")
        return ReviewerExposure(
            reviewer=self.name, teams=self.teams, exposure_s=total.exposure_ms / 1000,
            reveals=total.reveals, items_decided=total.items_decided,
            breaks_due=total.breaks_due, breaks_taken=total.breaks_taken,
            max_day_exposure_s=max((f.exposure_ms for f in self.days.values()), default=0) / 1000,
            max_day_items=max((f.items_decided for f in self.days.values()), default=0),
            daily_reveal_seconds_cap=self.policy.daily_reveal_seconds_cap,
            daily_item_cap=self.policy.daily_item_cap,
            days_over_cap=statuses.count("over"), days_near_cap=statuses.count("near"),
            cap_status=worst)


def _reviewers(session: Session, team: str | None) -> dict[str, _Reviewer]:
    """Users with the reviewer role (of `team`), each with their effective policy."""
    stored = {r.scope: r.policy for r in session.scalars(select(PolicyRecord))}
    cache: dict[tuple[object, ...], WellnessPolicy] = {}
    found = {}
    for name, roles, teams in session.execute(select(User.username, User.roles, User.teams)):
        if "reviewer" not in roles or (team is not None and team not in teams):
            continue
        key = (tuple(teams), name if f"user:{name}" in stored else None)
        if key not in cache:
            cache[key] = merge_stored(stored, name, list(teams)).policy
        found[name] = _Reviewer(name, list(teams), cache[key])
    return found


def _team_row(team: str, members: list[ReviewerExposure]) -> TeamExposure:
    seconds = [m.exposure_s for m in members]
    return TeamExposure(
        team=team, reviewers=len(members), exposure_s=sum(seconds),
        reveals=sum(m.reveals for m in members),
        items_decided=sum(m.items_decided for m in members),
        breaks_due=sum(m.breaks_due for m in members),
        breaks_taken=sum(m.breaks_taken for m in members),
        exposure_s_p50=percentile(seconds, 0.5), exposure_s_p90=percentile(seconds, 0.9),
        over_cap=sum(m.cap_status == "over" for m in members),
        near_cap=sum(m.cap_status == "near" for m in members))


def _day_rows(span: Range, reviewers: dict[str, _Reviewer]) -> list[DayExposure]:
    groups: dict[str | None, dict[date, DayFigures]] = defaultdict(
        lambda: {day: DayFigures() for day in span.days()})
    groups[None]  # noqa: B018 - every report has the all-reviewers trend, even empty
    for reviewer in reviewers.values():
        for day, figures in reviewer.days.items():
            for team in (None, *reviewer.teams):
                groups[team][day].add(figures)
    return [
        DayExposure(day=day, team=team, exposure_s=f.exposure_ms / 1000, reveals=f.reveals,
                    items_decided=f.items_decided, breaks_due=f.breaks_due,
                    breaks_taken=f.breaks_taken)
        for team in sorted(groups, key=lambda t: t or "") for day, f in groups[team].items()
    ]


def _categories(kinds: dict[tuple[date, str, int], CategoryFigures]) -> list[CategoryRevealRate]:
    totals: dict[tuple[str, int], CategoryFigures] = defaultdict(CategoryFigures)
    for (_day, category, severity), figures in kinds.items():
        total = totals[(category, severity)]
        total.items_decided += figures.items_decided
        total.items_revealed += figures.items_revealed
        total.reveals += figures.reveals
        total.exposure_ms += figures.exposure_ms
    return [
        CategoryRevealRate(
            category=category, severity=severity, items_decided=f.items_decided,
            items_revealed=f.items_revealed, reveals=f.reveals, exposure_s=f.exposure_ms / 1000,
            reveal_rate=f.items_revealed / f.items_decided if f.items_decided else None)
        for (category, severity), f in sorted(totals.items())
    ]


def wellness_summary(db: Database, *, time_zone: str, days: int, until: date | None,
                     team: str | None) -> WellnessSummary:
    """Reads the kept per-day figures (`wellness_rollup`, brought up to date first); the
    categories of one team are grouped from that team's records directly (the kept ones
    are over everyone)."""
    until = until or today(time_zone)
    span = Range.of(time_zone, until - timedelta(days=days - 1), until)
    refresh(db, span)
    with db.session() as session:
        sort_in_memory(session)
        reviewers = _reviewers(session, team)
        people = kept_reviewer_days(session, span)
        if team is None:
            kinds = kept_categories(session, span)
        else:
            kinds = category_figures(session, span, list(reviewers))
    for (name, day), figures in people.items():
        if name in reviewers:
            reviewers[name].days[day] = figures
    rows = [reviewers[name].wire() for name in sorted(reviewers)]
    by_team: dict[str, list[ReviewerExposure]] = defaultdict(list)
    for row in rows:
        for member_of in row.teams:
            if team is None or member_of == team:
                by_team[member_of].append(row)
    seconds = [row.exposure_s for row in rows]
    return WellnessSummary(
        time_zone=time_zone, since=span.since, until=span.until, team=team,
        near_cap_share=NEAR_CAP_SHARE, exposure_s_p50=percentile(seconds, 0.5),
        exposure_s_p90=percentile(seconds, 0.9), reviewers=rows,
        teams=[_team_row(name, members) for name, members in sorted(by_team.items())],
        days=_day_rows(span, reviewers), categories=_categories(kinds))
