"""Wellness policy by scope (user beats team beats default), the exposure ledger the
clients sync (idempotent by entry id), and the aggregate report. Never any content.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewer.protocol import (
    ExposureBatch,
    ExposureResults,
    UserPublic,
    WellnessPolicy,
    WellnessReport,
    WellnessReportRow,
)
from server.db import Database
from server.errors import ApiError
from server.models import DecisionRecord, ExposureRecord, PolicyRecord

_SCOPE = re.compile(r"^(default|(team|user):[A-Za-z0-9_.\-]{1,64})$")


def check_scope(scope: str) -> str:
    if not _SCOPE.match(scope):
        raise ApiError(422, "invalid_scope",
                       "A scope is `default`, `team:<name>` or `user:<name>`.")
    return scope


def policy_for(session: Session, user: UserPublic) -> tuple[WellnessPolicy, str]:
    """The policy in force for `user` and the scope it came from."""
    scopes = [f"user:{user.username}", *(f"team:{team}" for team in user.teams), "default"]
    for scope in scopes:
        record = session.get(PolicyRecord, scope)
        if record is not None:
            return WellnessPolicy.model_validate(record.policy), scope
    return WellnessPolicy(), "default"


def store_policy(session: Session, scope: str, policy: WellnessPolicy) -> None:
    record = session.get(PolicyRecord, check_scope(scope))
    if record is None:
        session.add(PolicyRecord(scope=scope, policy=policy.model_dump()))
    else:
        record.policy = policy.model_dump()


def record_exposure(db: Database, batch: ExposureBatch, reviewer: str) -> ExposureResults:
    accepted = duplicate = 0
    with db.writer() as session:
        for entry in batch.entries:
            if session.get(ExposureRecord, str(entry.entry_id)) is not None:
                duplicate += 1
                continue
            try:
                with session.begin_nested():
                    session.add(ExposureRecord(
                        entry_id=str(entry.entry_id), reviewer=reviewer, item_id=entry.item_id,
                        category=entry.category, severity=entry.severity, mode=entry.mode,
                        started_at=entry.started_at, duration_ms=entry.duration_ms,
                    ))
                accepted += 1
            except IntegrityError:
                duplicate += 1
    return ExposureResults(accepted=accepted, duplicate=duplicate)


def _in_range(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def _day(moment: datetime) -> date:
    return moment.date()  # UTC day: the server has no reviewer time zone


def wellness_report(session: Session, *, reviewer: str | None, since: date | None,
                    until: date | None) -> WellnessReport:
    rows: dict[tuple[str, date], dict[str, int]] = defaultdict(
        lambda: {"decisions": 0, "reveals": 0, "reveal_ms": 0, "max_severity": -1})
    exposure = select(ExposureRecord.reviewer, ExposureRecord.started_at,
                      ExposureRecord.duration_ms, ExposureRecord.severity)
    decisions = select(DecisionRecord.reviewer, DecisionRecord.decided_at)
    if reviewer:
        exposure = exposure.where(ExposureRecord.reviewer == reviewer)
        decisions = decisions.where(DecisionRecord.reviewer == reviewer)
    for who, started_at, duration_ms, severity in session.execute(exposure):
        if _in_range(_day(started_at), since, until):
            row = rows[(who, _day(started_at))]
            row["reveals"] += 1
            row["reveal_ms"] += duration_ms
            row["max_severity"] = max(row["max_severity"], severity)
    for who, decided_at in session.execute(decisions):
        if _in_range(_day(decided_at), since, until):
            rows[(who, _day(decided_at))]["decisions"] += 1
    return WellnessReport(rows=[
        WellnessReportRow(
            reviewer=who, day=day, decisions=row["decisions"], reveals=row["reveals"],
            reveal_ms=row["reveal_ms"],
            max_severity_revealed=row["max_severity"] if row["max_severity"] >= 0 else None,
        )
        for (who, day), row in sorted(rows.items())
    ])
