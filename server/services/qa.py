"""QA verdicts: a QA lead's judgement of one decision, stored once by its verdict id.

A verdict names the decision the QA lead saw; when that decision is later superseded the
report judges the latest decision of the chain instead (see `qa_report`).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from reviewer.protocol import QAVerdictBatch, QAVerdictResults
from server.db import Database
from server.models import DecisionRecord, VerdictRecord
from server.services.agreement import cohen_kappa

__all__ = ["cohen_kappa", "record_verdicts"]


def record_verdicts(db: Database, batch: QAVerdictBatch, qa_lead: str) -> QAVerdictResults:
    accepted, duplicate, rejected = 0, 0, []
    with db.writer() as session:
        for verdict in batch.verdicts:
            if session.get(VerdictRecord, str(verdict.verdict_id)) is not None:
                duplicate += 1
            elif session.get(DecisionRecord, str(verdict.decision_id)) is None:
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
