"""The coordinator's report over a range of days: per reviewer, per team, per day, per
category and severity, p50/p90 across reviewers, and who is over or near a cap.

Figures are summed in SQL over the kept per-day rows (`wellness_totals`, after
`wellness_rollup` brings them up to date); caps are each reviewer's effective policy
(strictest wins). "Over" a cap means a day at or past it, "near" a day at
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
from server.services.wellness_rollup import kept_categories, refresh
from server.services.wellness_totals import (
    NEAR_CAP_SHARE,
    Caps,
    ReviewerTotals,
    day_totals,
    reviewer_totals,
)


def percentile(values: Sequence[float], share: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's `percentile_cont`)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class _Reviewer:
    name: str
    teams: list[str]
    policy: WellnessPolicy
    totals: ReviewerTotals = field(default_factory=lambda: ReviewerTotals(DayFigures()))

    def caps(self) -> Caps:
        return Caps(self.policy.daily_reveal_seconds_cap, self.policy.daily_item_cap)

    def wire(self) -> ReviewerExposure:
        t = self.totals
        worst: CapStatus = "over" if t.days_over else "near" if t.days_near else "ok"
        return ReviewerExposure(
            reviewer=self.name, teams=self.teams, exposure_s=t.figures.exposure_ms / 1000,
            reveals=t.figures.reveals, items_decided=t.figures.items_decided,
            breaks_due=t.figures.breaks_due, breaks_taken=t.figures.breaks_taken,
            max_day_exposure_s=t.max_day_exposure_ms / 1000, max_day_items=t.max_day_items,
            daily_reveal_seconds_cap=self.policy.daily_reveal_seconds_cap,
            daily_item_cap=self.policy.daily_item_cap,
            days_over_cap=t.days_over, days_near_cap=t.days_near, cap_status=worst)


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


def _day_rows(span: Range, found: dict[str | None, dict[date, DayFigures]]
              ) -> list[DayExposure]:
    """Every day of the span for everyone, and for each team with anything in it."""
    rows = []
    for team in sorted({None, *found}, key=lambda t: t or ""):
        days = found.get(team, {})
        for day in span.days():
            f = days.get(day) or DayFigures()
            rows.append(DayExposure(
                day=day, team=team, exposure_s=f.exposure_ms / 1000, reveals=f.reveals,
                items_decided=f.items_decided, breaks_due=f.breaks_due,
                breaks_taken=f.breaks_taken))
    return rows


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
        totals = reviewer_totals(session, span, {r.name: r.caps() for r in reviewers.values()})
        days = day_totals(session, span, {r.name: r.teams for r in reviewers.values()})
        if team is None:
            kinds = kept_categories(session, span)
        else:
            kinds = category_figures(session, span, list(reviewers))
    for name, found in totals.items():
        reviewers[name].totals = found
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
        days=_day_rows(span, days), categories=_categories(kinds))
