"""QA leads replay decisions, record verdicts and read the agreement report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from reviewer.protocol import QADecisions, QAReport, QAVerdictBatch, QAVerdictResults
from server.deps import DbDep, QALead
from server.errors import ERROR_RESPONSES
from server.services.qa import list_decisions, qa_report, record_verdicts

router = APIRouter(prefix="/qa", tags=["qa"], responses=ERROR_RESPONSES)

NameQuery = Annotated[str | None, Query(max_length=64)]


@router.get("/decisions", response_model=QADecisions)
def get_decisions(
    _user: QALead, db: DbDep, reviewer: NameQuery = None, queue: NameQuery = None,
    since: datetime | None = None, until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    sample: Annotated[int | None, Query(ge=1, le=1000)] = None,
    seed: int | None = None,
) -> QADecisions:
    with db.session() as session:
        return list_decisions(session, reviewer=reviewer, queue=queue, since=since,
                              until=until, limit=limit, sample=sample, seed=seed)


@router.post("/verdicts", response_model=QAVerdictResults)
def post_verdicts(body: QAVerdictBatch, user: QALead, db: DbDep) -> QAVerdictResults:
    return record_verdicts(db, body, user.username)


@router.get("/report", response_model=QAReport)
def get_report(_user: QALead, db: DbDep, reviewer: NameQuery = None, queue: NameQuery = None,
               since: datetime | None = None, until: datetime | None = None) -> QAReport:
    with db.session() as session:
        return qa_report(session, reviewer=reviewer, queue=queue, since=since, until=until)
