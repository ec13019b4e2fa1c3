"""QA verdicts: a QA lead's judgement of one decision, stored once by its verdict id.

A verdict is rejected when its decision is unknown or its action is not one of the
decision's queue. It names the decision the QA lead saw; when that decision is later
superseded the report judges the latest decision of the chain (see `qa_report`).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewer.protocol import QAVerdictBatch, QAVerdictResults
from server.db import Database
from server.models import DecisionRecord, Queue, VerdictRecord
from server.services.agreement import cohen_kappa
from server.services.taxonomy import SKIP, allowed_actions

__all__ = ["cohen_kappa", "record_verdicts"]


def _judges_known_decision(session: Session, decision_id: UUID, action: str) -> bool:
    """The decision exists and the verdict's action is one of its queue's (not skip)."""
    decision = session.get(DecisionRecord, str(decision_id))
    if decision is None or action == SKIP:
        return False
    queue = session.get(Queue, decision.queue)
    return queue is not None and action in allowed_actions(queue)


def record_verdicts(db: Database, batch: QAVerdictBatch, qa_lead: str) -> QAVerdictResults:
    accepted, duplicate, rejected = 0, 0, []
    with db.writer() as session:
        for verdict in batch.verdicts:
            if session.get(VerdictRecord, str(verdict.verdict_id)) is not None:
                duplicate += 1
            elif not _judges_known_decision(session, verdict.decision_id, verdict.action):
                rejected.append(verdict.verdict_id)
            else:
                try:
                    with session.begin_nested():
                        session.add(VerdictRecord(
                            verdict_id=str(verdict.verdict_id),
                            decision_id=str(verdict.decision_id), qa_lead=qa_lead,
                            action=verdict.action, labels=list(verdict.labels),
                            blind=verdict.blind, note=verdict.note,
                        ))
                    accepted += 1
                except IntegrityError:
                    duplicate += 1
    return QAVerdictResults(accepted=accepted, duplicate=duplicate, rejected=rejected)
