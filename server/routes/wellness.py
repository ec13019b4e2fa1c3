"""Exposure and breaks (reviewers; QA leads for replay reveals), policies, their audit trail,
effective policies and the report (wellness). Never any content."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Response

from reviewer.protocol import (
    BreakBatch,
    BreakResults,
    EffectivePolicy,
    ExposureBatch,
    ExposureResults,
    PolicyChanges,
    WellnessPolicies,
    WellnessPolicyPut,
    WellnessPolicyStored,
    WellnessReport,
    WellnessSummary,
)
from server.deps import DbDep, ReviewerOrQA, ReviewerUser, SettingsDep, WellnessUser
from server.errors import ERROR_RESPONSES
from server.services.exposure import record_breaks, record_exposure
from server.services.wellness import (
    check_scope,
    delete_policy,
    effective_of,
    list_policies,
    policy_changes,
    read_policy,
    store_policy,
)
from server.services.wellness_report import wellness_report
from server.services.wellness_summary import wellness_summary

router = APIRouter(tags=["wellness"], responses=ERROR_RESPONSES)


@router.post("/exposure", response_model=ExposureResults)
def post_exposure(body: ExposureBatch, user: ReviewerOrQA, db: DbDep) -> ExposureResults:
    return record_exposure(db, body, user)


@router.post("/breaks", response_model=BreakResults)
def post_breaks(body: BreakBatch, user: ReviewerUser, db: DbDep) -> BreakResults:
    return record_breaks(db, body, user)


@router.get("/wellness/policies", response_model=WellnessPolicies)
def get_policies(_user: WellnessUser, db: DbDep) -> WellnessPolicies:
    with db.session() as session:
        return list_policies(session)


@router.get("/wellness/policies/{scope}", response_model=WellnessPolicyStored)
def get_policy(scope: str, _user: WellnessUser, db: DbDep) -> WellnessPolicyStored:
    with db.session() as session:
        return read_policy(session, check_scope(scope))


@router.put("/wellness/policies/{scope}", response_model=WellnessPolicyStored)
def put_policy(scope: str, body: WellnessPolicyPut, user: WellnessUser,
               db: DbDep) -> WellnessPolicyStored:
    with db.writer() as session:
        return store_policy(session, check_scope(scope), body.policy, user.username)


@router.delete("/wellness/policies/{scope}", status_code=204)
def remove_policy(scope: str, user: WellnessUser, db: DbDep) -> Response:
    with db.writer() as session:
        delete_policy(session, check_scope(scope), user.username)
    return Response(status_code=204)


@router.get("/wellness/policy-changes", response_model=PolicyChanges)
def get_policy_changes(_user: WellnessUser, db: DbDep,
                       scope: str | None = Query(None, max_length=80),
                       limit: int = Query(200, ge=1, le=1000)) -> PolicyChanges:
    with db.session() as session:
        return policy_changes(session, scope, limit)


@router.get("/wellness/effective/{username}", response_model=EffectivePolicy)
def get_effective(username: str, _user: WellnessUser, db: DbDep,
                  settings: SettingsDep) -> EffectivePolicy:
    with db.session() as session:
        return effective_of(session, username, settings.time_zone)


@router.get("/wellness/report", response_model=WellnessReport)
def get_report(_user: WellnessUser, db: DbDep, settings: SettingsDep,
               reviewer: str | None = Query(None, max_length=64),
               since: date | None = None, until: date | None = None) -> WellnessReport:
    with db.session() as session:
        return wellness_report(session, reviewer=reviewer, since=since, until=until,
                               time_zone=settings.time_zone)


@router.get("/wellness/summary", response_model=WellnessSummary)
def get_summary(_user: WellnessUser, db: DbDep, settings: SettingsDep,
                days: int = Query(7, ge=1, le=366), until: date | None = None,
                team: str | None = Query(None, max_length=64,
                                         pattern=r"^[A-Za-z0-9_.\-]+$")) -> WellnessSummary:
    return wellness_summary(db, time_zone=settings.time_zone, days=days, until=until,
                            team=team)
