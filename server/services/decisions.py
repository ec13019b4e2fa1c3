"""Decisions: each `decision_id` is stored once; replies accepted, duplicate, late, rejected.

A decision is `late` when its lease had expired or was released, or the item has since
gone to someone else: it is still recorded (and flagged) but does not close the item,
which stays available for review. `skip` is stored like any decision and returns the
item to the queue. A decision may supersede an earlier one of the same reviewer on the
same item; both are kept and the newer counts. An accepted `escalate` on a queue that
names an escalation queue puts a copy of the item there (`server.services.escalation`).

A batch is judged in one pass and written with a few multi-row statements
(`server.services.decision_batch`); the decision-by-decision path below, a savepoint each,
is the fallback when the database refuses a value of one decision.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from reviewer.protocol import Decision, DecisionBatch, DecisionResult, DecisionResults
from server.db import Database
from server.models import DecisionRecord, Item, Lease, LeaseItem, Queue, utcnow
from server.services.decision_batch import Collided, Rejected, record_batch
from server.services.escalation import escalate, withdraw_superseded
from server.services.leasing import lease_is_live
from server.services.shared_items import shared_status
from server.services.taxonomy import SKIP, allowed_actions, allowed_labels

MAX_HANDLE_MS = 7 * 86_400_000
CLOCK_SKEW = timedelta(minutes=10)
"""How far a client's `started_at`/`decided_at` may lie before its lease began or after
the server received it: further out, the client's clock (or the client) is wrong."""




def _aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def check_times(decision: Decision, lease: Lease, now: datetime) -> None:
    earliest, latest = lease.created_at - CLOCK_SKEW, now + CLOCK_SKEW
    for name, at in (("started_at", decision.started_at), ("decided_at", decision.decided_at)):
        if not earliest <= _aware(at) <= latest:
            raise Rejected(f"{name} lies far outside the lease and the time the server "
                           "received it; check the workstation's clock")


def _check(session: Session, decision: Decision, reviewer: str) -> tuple[Item, Lease]:
    item = session.get(Item, decision.item_id)
    lease = session.get(Lease, decision.lease_id)
    if item is None:
        raise Rejected(f"unknown item {decision.item_id}")
    if (lease is None or lease.reviewer != reviewer
            or session.get(LeaseItem, (lease.id, item.id)) is None):
        raise Rejected("the item was never leased to you under this lease")
    check_times(decision, lease, utcnow())
    queue = session.get(Queue, item.queue)
    assert queue is not None
    if decision.action not in allowed_actions(queue):
        raise Rejected(f"action {decision.action!r} is not in the taxonomy of {queue.name}")
    unknown = set(decision.labels) - allowed_labels(queue)
    if unknown:
        raise Rejected(f"labels not in the taxonomy of {queue.name}: {sorted(unknown)}")
    if decision.supersedes is not None:
        earlier = session.get(DecisionRecord, str(decision.supersedes))
        if earlier is None or earlier.reviewer != reviewer or earlier.item_id != item.id:
            raise Rejected("supersedes names no earlier decision of yours on this item")
        # One chain per item: a decision replaced once cannot be replaced again, or two
        # decisions would count for the same item.
        replaced_by = session.scalar(select(DecisionRecord.decision_id).where(
            DecisionRecord.supersedes == earlier.decision_id).limit(1))
        if replaced_by is not None:
            raise Rejected(f"the decision it supersedes was already replaced by {replaced_by}")
    return item, lease


def _apply(item: Item, lease: Lease, decision: Decision, now: datetime) -> str:
    """Change the item for an on-time decision; return `accepted` or `late`."""
    if not lease_is_live(lease, now) or item.lease_id != lease.id:
        return "late"
    if decision.action == SKIP:
        item.state, item.lease_id, item.lease_expires_at = "pending", None, None
    else:
        item.state = "decided"
    return "accepted"


def _record(session: Session, decision: Decision, reviewer: str) -> DecisionResult:
    if session.get(DecisionRecord, str(decision.decision_id)) is not None:
        return DecisionResult(decision_id=decision.decision_id, status="duplicate")
    try:
        item, lease = _check(session, decision, reviewer)
    except Rejected as exc:
        return DecisionResult(decision_id=decision.decision_id, status="rejected",
                              reason=str(exc)[:500])
    now = utcnow()
    assignment = session.get(LeaseItem, (lease.id, item.id))
    if assignment is not None and assignment.share is not None:
        status = shared_status(session, item, lease, decision, reviewer,
                               lease_is_live(lease, now))
    else:
        status = _apply(item, lease, decision, now)
    record = DecisionRecord(
        decision_id=str(decision.decision_id), item_id=item.id, lease_id=lease.id,
        reviewer=reviewer, queue=item.queue, action=decision.action,
        labels=list(decision.labels), note=decision.note,
        supersedes=str(decision.supersedes) if decision.supersedes else None, status=status,
        started_at=decision.started_at, decided_at=decision.decided_at, received_at=now,
        events=[event.model_dump(mode="json", exclude_none=True) for event in decision.events],
        client=decision.client, handle_ms=handle_ms(decision),
        reveals=sum(event.type == "reveal_start" for event in decision.events),
    )
    session.add(record)
    session.flush()
    if status == "accepted" and item.share is None:
        withdraw_superseded(session, record)
        escalate(session, item, record)
        session.flush()
    return DecisionResult(decision_id=decision.decision_id, status=status)


def handle_ms(decision: Decision) -> int:
    """The reviewer's handle time, clamped to a week (client clocks are not trusted)."""
    started, decided = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)
                        for moment in (decision.started_at, decision.decided_at))
    return max(0, min(MAX_HANDLE_MS, round((decided - started).total_seconds() * 1000)))


def record_decisions(db: Database, batch: DecisionBatch, reviewer: str) -> DecisionResults:
    """One pass and a few multi-row statements (`decision_batch`); when the database
    refuses a value the batch is written again decision by decision, so that the bad
    one alone is rejected."""
    taken: set[str] = set()
    for _attempt in range(3):
        try:
            with db.writer() as session:
                return DecisionResults(
                    results=record_batch(session, batch.decisions, reviewer, taken))
        except Collided as collided:  # rolled back: judge again, those ids now duplicates
            taken |= collided.taken
        except OperationalError:
            raise  # busy or broken: the whole batch is answered 503/500 and retried
        except DBAPIError:
            return _record_one_by_one(db, batch, reviewer)
    raise RuntimeError("decision batch kept colliding with concurrent writers")


def _record_one_by_one(db: Database, batch: DecisionBatch, reviewer: str) -> DecisionResults:
    results: list[DecisionResult] = []
    with db.writer() as session:
        for decision in batch.decisions:
            try:
                with session.begin_nested():
                    results.append(_record(session, decision, reviewer))
            except IntegrityError:
                # A concurrent request stored the same id first (PostgreSQL).
                results.append(DecisionResult(decision_id=decision.decision_id,
                                              status="duplicate"))
            except OperationalError:
                raise
            except DBAPIError as exc:
                # The database refused a value of this decision alone: reject it, keep
                # the rest of the batch (its savepoint was rolled back).
                results.append(DecisionResult(
                    decision_id=decision.decision_id, status="rejected",
                    reason=f"the database refused this decision ({type(exc.orig).__name__})"))
    return DecisionResults(results=results)


def current_decisions(session: Session, item_id: str) -> list[DecisionRecord]:
    """The item's decisions that count: those no later decision supersedes."""
    records = session.scalars(select(DecisionRecord).where(DecisionRecord.item_id == item_id))
    records = list(records)
    superseded = {r.supersedes for r in records if r.supersedes}
    return [r for r in records if r.decision_id not in superseded]
