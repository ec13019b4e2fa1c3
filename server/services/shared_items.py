"""Items leased to many reviewers: gold items (a known answer, mixed into leases at the
queue's gold rate) and overlap items (decided by `overlap_k` distinct reviewers).

A shared item never takes the item's single `lease_id`: each reviewer's assignment is
their `LeaseItem` row (with `share` set), live while that lease is live. Nothing here
tells a reviewer an item is shared: the wire shape of a leased item is the same.
"""

from __future__ import annotations

import hashlib
import math
import random
from datetime import datetime

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from reviewer.protocol import Decision
from server.models import DecisionRecord, Item, Lease, LeaseItem, Queue
from server.services.taxonomy import SKIP

GOLD = "gold"
OVERLAP = "overlap"
DEFAULT_OVERLAP_K = 2


def lease_live(now: datetime):  # noqa: ANN201 - an SQL expression
    return and_(Lease.released_at.is_(None), Lease.expires_at > now)


def held_by(reviewer: str, now: datetime):  # noqa: ANN201 - an SQL expression
    """Items `reviewer` holds as a shared assignment under a live lease."""
    return Item.id.in_(
        select(LeaseItem.item_id).join(Lease, Lease.id == LeaseItem.lease_id)
        .where(LeaseItem.share.is_not(None), Lease.reviewer == reviewer, lease_live(now)))


def ever_leased_to(reviewer: str):  # noqa: ANN201 - an SQL expression
    """Items that were in any lease of `reviewer`, shared or not."""
    return exists(select(LeaseItem.item_id).join(Lease, Lease.id == LeaseItem.lease_id)
                  .where(LeaseItem.item_id == Item.id, Lease.reviewer == reviewer))


def picks_overlap(item_id: str, queue: Queue) -> bool:
    """Whether a fresh item becomes an overlap item: a stable hash of its id against the
    queue's rate, so the share holds over many items and a retried claim decides alike."""
    rate = queue.overlap_rate or 0.0
    if rate <= 0:
        return False
    digest = hashlib.sha256(item_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def _slots_taken(now: datetime):  # noqa: ANN201 - a correlated scalar subquery
    """Assignments of the outer overlap item that count against its k: live and undecided,
    or decided (not skipped) on time."""
    decided = exists(select(DecisionRecord.decision_id).where(
        DecisionRecord.lease_id == LeaseItem.lease_id,
        DecisionRecord.item_id == LeaseItem.item_id))
    judged = exists(select(DecisionRecord.decision_id).where(
        DecisionRecord.lease_id == LeaseItem.lease_id,
        DecisionRecord.item_id == LeaseItem.item_id,
        DecisionRecord.status == "accepted", DecisionRecord.action != SKIP))
    return (select(func.count()).select_from(LeaseItem)
            .join(Lease, Lease.id == LeaseItem.lease_id)
            .where(LeaseItem.item_id == Item.id,
                   or_(and_(lease_live(now), ~decided), judged))
            .scalar_subquery())


def _open_overlap_statement():  # noqa: ANN202 - a Select
    k = func.coalesce(Item.overlap_k, DEFAULT_OVERLAP_K)
    return (select(Item).where(Item.queue == bindparam("queue"), Item.share == OVERLAP,
                               Item.state == "pending", ~ever_leased_to(bindparam("reviewer")),
                               _slots_taken(bindparam("now")) < k)
            .order_by(Item.created_at, Item.id).limit(bindparam("limit"))
            .with_for_update(skip_locked=True))


_OPEN_OVERLAP = _open_overlap_statement()  # built once: every claim runs it


def open_overlap_items(session: Session, queue: Queue, reviewer: str, now: datetime,
                       limit: int) -> list[Item]:
    """Overlap items with a free slot that `reviewer` never had, oldest first."""
    if limit <= 0:
        return []
    return list(session.scalars(_OPEN_OVERLAP, {"queue": queue.name, "reviewer": reviewer,
                                                "now": now, "limit": limit}))


def gold_due(session: Session, queue: Queue, reviewer: str, others: int, max_items: int,
             rng: random.Random) -> int:
    """How many gold items this lease carries so that, over all the reviewer's leases in
    the queue, gold makes up `gold_rate` of what they were given (randomised rounding:
    the running share stays within one item of the rate)."""
    rate = queue.gold_rate or 0.0
    if rate <= 0 or others <= 0:
        return 0  # a lease of gold alone would give the gold away
    given, gold = session.execute(
        select(func.count(), func.count(LeaseItem.share).filter(LeaseItem.share == GOLD))
        .select_from(LeaseItem).join(Lease, Lease.id == LeaseItem.lease_id)
        .where(Lease.reviewer == reviewer, Lease.queue == queue.name)).one()
    if others >= max_items:  # gold takes the place of ordinary items
        due = math.floor(rate * (given + max_items) + rng.random()) - gold
        return max(0, min(due, max_items - 1))
    due = math.floor((rate * (given + others) - gold) / (1.0 - rate) + rng.random())
    return max(0, min(due, max_items - others))


def gold_for(session: Session, queue: Queue, reviewer: str, count: int) -> list[Item]:
    """Up to `count` gold items of the queue the reviewer never had, in random order."""
    if count <= 0:
        return []
    return list(session.scalars(
        select(Item).where(Item.queue == queue.name, Item.share == GOLD, Item.state == GOLD,
                           ~ever_leased_to(reviewer))
        .order_by(func.random()).limit(count)))


def shared_status(session: Session, item: Item, lease: Lease, decision: Decision,
                  reviewer: str, live: bool) -> str:
    """`accepted` or `late` for a decision on a shared assignment; an overlap item is done
    once `overlap_k` distinct reviewers decided it on time."""
    if not live:
        return "late"
    if item.share == OVERLAP and decision.action != SKIP and item.state == "pending":
        others = session.scalar(
            select(func.count(func.distinct(DecisionRecord.reviewer))).where(
                DecisionRecord.item_id == item.id, DecisionRecord.reviewer != reviewer,
                DecisionRecord.status == "accepted", DecisionRecord.action != SKIP)) or 0
        if others + 1 >= (item.overlap_k or DEFAULT_OVERLAP_K):
            item.state = "decided"
    return "accepted"


def _undecided_shared_statement():  # noqa: ANN202 - a Select
    later = aliased(DecisionRecord)
    return select(func.count()).select_from(LeaseItem).where(
        LeaseItem.lease_id == bindparam("lease"), LeaseItem.share.is_not(None),
        ~exists(select(later.decision_id).where(later.lease_id == bindparam("lease"),
                                                later.item_id == LeaseItem.item_id)))


_UNDECIDED_SHARED = _undecided_shared_statement()  # built once: every release asks


def undecided_shared(session: Session, lease_id: str) -> int:
    """The lease's shared assignments without a decision: what a release gives back."""
    return session.scalar(_UNDECIDED_SHARED, {"lease": lease_id}) or 0
