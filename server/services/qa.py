"""QA: decisions with their timelines for replay, verdicts, and the agreement report.

Agreement compares each verdict's action with the reviewer's action on the decision it
judges. Cohen's kappa corrects that for chance: (po - pe) / (1 - pe), where pe sums,
over actions, the product of how often reviewer and QA chose each; it is undefined
(None) when pe = 1, i.e. both sides only ever used one and the same action.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime
from statistics import median_low
from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewer.protocol import (
    DecisionEvent,
    QADecision,
    QADecisions,
    QAReport,
    QAVerdictBatch,
    QAVerdictResults,
)
from server.db import Database
from server.models import DecisionRecord, VerdictRecord


def _filters(reviewer: str | None, queue: str | None, since: datetime | None,
             until: datetime | None) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if reviewer:
        filters.append(DecisionRecord.reviewer == reviewer)
    if queue:
        filters.append(DecisionRecord.queue == queue)
    if since:
        filters.append(DecisionRecord.decided_at >= since)
    if until:
        filters.append(DecisionRecord.decided_at < until)
    return filters


def _to_wire(record: DecisionRecord, superseded_by: str | None) -> QADecision:
    return QADecision(
        decision_id=UUID(record.decision_id), item_id=record.item_id, queue=record.queue,
        reviewer=record.reviewer, lease_id=record.lease_id, action=record.action,
        labels=record.labels, note=record.note,
        supersedes=UUID(record.supersedes) if record.supersedes else None,
        superseded_by=UUID(superseded_by) if superseded_by else None,
        status=record.status,  # type: ignore[arg-type]
        started_at=record.started_at, decided_at=record.decided_at,
        received_at=record.received_at,
        events=[DecisionEvent.model_validate(event) for event in record.events],
    )


def list_decisions(session: Session, *, reviewer: str | None = None, queue: str | None = None,
                   since: datetime | None = None, until: datetime | None = None,
                   limit: int = 100, sample: int | None = None,
                   seed: int | None = None) -> QADecisions:
    """Newest first; with `sample`, a random `sample` of the filtered decisions."""
    query = select(DecisionRecord).where(*_filters(reviewer, queue, since, until)).order_by(
        DecisionRecord.decided_at.desc(), DecisionRecord.decision_id)
    if sample is None:
        records = list(session.scalars(query.limit(limit)))
    else:
        population = list(session.scalars(query))
        records = random.Random(seed).sample(population, min(sample, len(population), limit))
        records.sort(key=lambda r: r.decided_at, reverse=True)
    ids = [r.decision_id for r in records]
    later = session.execute(
        select(DecisionRecord.supersedes, DecisionRecord.decision_id)
        .where(DecisionRecord.supersedes.in_(ids))
    ).all()
    superseded_by = {old: new for old, new in later}
    data = [_to_wire(r, superseded_by.get(r.decision_id)) for r in records]
    return QADecisions(data=data, count=len(data))


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


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    if expected >= 1.0:
        return None
    return max(-1.0, min(1.0, (observed - expected) / (1.0 - expected)))


def qa_report(session: Session, *, reviewer: str | None = None, queue: str | None = None,
              since: datetime | None = None, until: datetime | None = None) -> QAReport:
    filters = _filters(reviewer, queue, since, until)
    pairs = [(mine, theirs) for mine, theirs in session.execute(
        select(DecisionRecord.action, VerdictRecord.action)
        .join(VerdictRecord, VerdictRecord.decision_id == DecisionRecord.decision_id)
        .where(*filters)
    )]
    confusion: dict[str, dict[str, int]] = {}
    for mine, theirs in pairs:
        confusion.setdefault(mine, {}).setdefault(theirs, 0)
        confusion[mine][theirs] += 1
    handle = [max(0, int((decided - started).total_seconds() * 1000)) for started, decided in
              session.execute(select(DecisionRecord.started_at, DecisionRecord.decided_at)
                              .where(*filters))]
    return QAReport(
        verdicts=len(pairs),
        agreement=sum(a == b for a, b in pairs) / len(pairs) if pairs else None,
        cohen_kappa=cohen_kappa(pairs),
        confusion=confusion,
        handle_time_ms_p50=median_low(handle) if handle else None,
    )
