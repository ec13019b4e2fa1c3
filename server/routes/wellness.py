"""Exposure ledger sync (reviewers), policies and the aggregate report (wellness)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query

from reviewer.protocol import (
    ExposureBatch,
    ExposureResults,
    WellnessPolicyPut,
    WellnessPolicyStored,
    WellnessReport,
)
from server.deps import DbDep, ReviewerUser, WellnessUser
from server.errors import ERROR_RESPONSES
from server.services.wellness import check_scope, record_exposure, store_policy, wellness_report

router = APIRouter(tags=["wellness"], responses=ERROR_RESPONSES)


@router.post("/exposure", response_model=ExposureResults)
def post_exposure(body: ExposureBatch, user: ReviewerUser, db: DbDep) -> ExposureResults:
    return record_exposure(db, body, user.username)


@router.put("/wellness/policies/{scope}", response_model=WellnessPolicyStored)
def put_policy(scope: str, body: WellnessPolicyPut, _user: WellnessUser,
               db: DbDep) -> WellnessPolicyStored:
    with db.writer() as session:
        store_policy(session, check_scope(scope), body.policy)
    return WellnessPolicyStored(scope=scope, policy=body.policy)


@router.get("/wellness/report", response_model=WellnessReport)
def get_report(_user: WellnessUser, db: DbDep, reviewer: str | None = Query(None, max_length=64),
               since: date | None = None, until: date | None = None) -> WellnessReport:
    with db.session() as session:
        return wellness_report(session, reviewer=reviewer, since=since, until=until)
