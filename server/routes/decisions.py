"""Reviewers post decisions in batches; each is answered on its own."""

from __future__ import annotations

from fastapi import APIRouter

from reviewer.protocol import DecisionBatch, DecisionResults
from server.deps import DbDep, ReviewerUser
from server.errors import ERROR_RESPONSES
from server.services.decisions import record_decisions

router = APIRouter(tags=["decisions"], responses=ERROR_RESPONSES)


@router.post("/decisions", response_model=DecisionResults)
def post_decisions(body: DecisionBatch, user: ReviewerUser, db: DbDep) -> DecisionResults:
    return record_decisions(db, body, user.username)
