"""QA leads find and replay decisions, record verdicts, mark gold items and read the
agreement report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from reviewer.protocol import (
    GoldItemPublic,
    GoldItems,
    GoldMark,
    QADecisions,
    QAReport,
    QAVerdictBatch,
    QAVerdictResults,
)
from server.deps import DbDep, QALead
from server.errors import ERROR_RESPONSES
from server.routes import NAME_PATTERN
from server.services.gold import list_gold, mark_gold
from server.services.qa import record_verdicts
from server.services.qa_decisions import DecisionFilter, list_decisions
from server.services.qa_report import qa_report

router = APIRouter(prefix="/qa", tags=["qa"], responses=ERROR_RESPONSES)

NameQuery = Annotated[str | None, Query(max_length=64, pattern=NAME_PATTERN)]
SampleQuery = Annotated[int | None, Query(ge=1, le=1000)]


@router.get("/decisions", response_model=QADecisions)
def get_decisions(
    _user: QALead, db: DbDep, reviewer: NameQuery = None, queue: NameQuery = None,
    action: NameQuery = None, since: datetime | None = None, until: datetime | None = None,
    escalated: bool | None = None, late: bool | None = None, superseded: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    sample: SampleQuery = None, sample_per_reviewer: SampleQuery = None,
    seed: Annotated[int | None, Query(ge=-(2**63), le=2**63 - 1)] = None,
) -> QADecisions:
    """Newest first, one page of `limit`; pass `next_cursor` back as `cursor` for the next.
    `sample` / `sample_per_reviewer` choose a random sample, the same for the same seed."""
    wanted = DecisionFilter(reviewer=reviewer, queue=queue, action=action, since=since,
                            until=until, escalated=escalated, late=late, superseded=superseded)
    with db.session() as session:
        return list_decisions(session, wanted, limit=limit, cursor=cursor, sample=sample,
                              sample_per_reviewer=sample_per_reviewer, seed=seed)


@router.post("/verdicts", response_model=QAVerdictResults)
def post_verdicts(body: QAVerdictBatch, user: QALead, db: DbDep) -> QAVerdictResults:
    return record_verdicts(db, body, user.username)


@router.get("/report", response_model=QAReport)
def get_report(_user: QALead, db: DbDep, reviewer: NameQuery = None, queue: NameQuery = None,
               since: datetime | None = None, until: datetime | None = None) -> QAReport:
    with db.session() as session:
        return qa_report(session, reviewer=reviewer, queue=queue, since=since, until=until)


@router.post("/gold", response_model=GoldItemPublic)
def post_gold(body: GoldMark, user: QALead, db: DbDep) -> GoldItemPublic:
    """Mark an item gold with its expected action; it leaves the ordinary queue."""
    with db.writer() as session:
        return mark_gold(session, body.item_id, body.action, user.username)


@router.get("/gold", response_model=GoldItems)
def get_gold(_user: QALead, db: DbDep, queue: NameQuery = None) -> GoldItems:
    with db.session() as session:
        return list_gold(session, queue)
