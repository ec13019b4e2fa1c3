"""Leases: an item is leased to one reviewer at a time; expiry returns it to the queue.
Gold and overlap items are the exception: several reviewers hold them at once, each
through their own `LeaseItem` (`server.services.shared_items` mixes them in).

Claiming is atomic under concurrency: on SQLite the claim runs in a BEGIN IMMEDIATE
transaction (one writer at a time), on PostgreSQL the candidate rows are selected
`FOR UPDATE SKIP LOCKED` so concurrent claims pass each other without overlap.

`lease_for_request` wraps the claim with good manners, in the claim's own transaction: a
repeated client request id gets the same lease and items back (its first reply was lost),
a reviewer holds at most `max_held` undecided items, and a claim that finds nothing leaves
no lease row.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, or_, select
from sqlalchemy.orm import Session

from reviewer.protocol import LeaseReleased, LeaseRenewed, LeaseReply
from server.db import Database
from server.errors import ApiError
from server.models import (
    DecisionRecord,
    Item,
    Lease,
    LeaseItem,
    Queue,
    QueueRoute,
    QueueTeam,
    utcnow,
)
from server.services.items import item_to_wire
from server.services.shared_items import (
    OVERLAP,
    gold_due,
    gold_for,
    open_overlap_items,
    picks_overlap,
    undecided_shared,
)
from server.services.taxonomy import wire_taxonomy

_shuffle = random.SystemRandom()


def available(now: datetime):  # noqa: ANN201 - an SQL expression
    """Items in the queue and free: never leased, released, or their lease ran out."""
    return (Item.state == "pending") & or_(Item.lease_id.is_(None), Item.lease_expires_at <= now)


def claim_items(session: Session, queue_name: str, reviewer: str, max_items: int,
                ttl: float, request_id: str | None = None) -> LeaseReply:
    """Claim up to `max_items` free items in the caller's write transaction."""
    queue = session.get(Queue, queue_name)
    if queue is None:
        raise ApiError(404, "unknown_queue", f"There is no queue named {queue_name!r}.")
    now = utcnow()
    lease = Lease(id=f"L-{secrets.token_hex(8)}", queue=queue.name, reviewer=reviewer,
                  created_at=now, expires_at=now + timedelta(seconds=ttl),
                  request_id=request_id or None)
    candidates = _candidates(session, queue, reviewer, now, max_items)
    gold = gold_for(session, queue, reviewer,
                    gold_due(session, queue, reviewer, len(candidates), max_items, _shuffle))
    if not candidates and not gold:  # nothing to give: no lease row (its id is never used)
        return LeaseReply(lease_id=lease.id, queue=queue.name, expires_at=lease.expires_at,
                          taxonomy=wire_taxonomy(queue), items=[])
    leased = _assign(session, lease, queue, candidates[:max_items - len(gold)], gold)
    return LeaseReply(lease_id=lease.id, queue=queue.name, expires_at=lease.expires_at,
                      taxonomy=wire_taxonomy(queue),
                      items=[item_to_wire(item) for item in leased])


# The claim's statements, built once (SQLAlchemy memoizes a statement's compiled form and
# cache key on the object: one built per claim is compiled and keyed again every time),
# and run as plain SQL: a lease is a few rows, not worth the ORM's unit of work.
_ITEMS = Item.__table__
_HOLD = _ITEMS.update().where(_ITEMS.c.id.in_(bindparam("ids", expanding=True))).values(
    lease_id=bindparam("holder"), lease_expires_at=bindparam("until"))
_SHARE = _ITEMS.update().where(_ITEMS.c.id.in_(bindparam("ids", expanding=True))).values(
    share=OVERLAP, overlap_k=bindparam("k"))
_NEW_LEASE = insert(Lease.__table__)
_NEW_ASSIGNMENTS = insert(LeaseItem.__table__)
_FRESH = (select(_ITEMS).where(_ITEMS.c.queue == bindparam("queue"),
                               _ITEMS.c.share.is_(None), available(bindparam("now")))
          .order_by(_ITEMS.c.created_at, _ITEMS.c.id).limit(bindparam("limit"))
          .with_for_update(skip_locked=True))


def _assign(session: Session, lease: Lease, queue: Queue, candidates: list[Any],
            gold: list[Item]) -> list[Any]:
    """Write the lease and give it the items: an ordinary item through its `lease_id`, a
    shared one (gold, overlap, or a fresh item the overlap rate picks) through its
    `LeaseItem` only. Returns them in lease order, each gold item at a random place."""
    shares: dict[str, str | None] = {item.id: item.share for item in gold}
    held, picked = [], []
    for item in candidates:
        share = item.share
        if share is None and picks_overlap(item.id, queue):
            share = OVERLAP
            picked.append(item.id)
        elif share is None:
            held.append(item.id)
        shares[item.id] = share
    connection = session.connection()
    connection.execute(_NEW_LEASE, {
        "id": lease.id, "queue": lease.queue, "reviewer": lease.reviewer,
        "created_at": lease.created_at, "expires_at": lease.expires_at,
        "released_at": None, "request_id": lease.request_id})
    if held:
        connection.execute(_HOLD, {"ids": held, "holder": lease.id, "until": lease.expires_at})
    if picked:
        connection.execute(_SHARE, {"ids": picked, "k": queue.overlap_k})
    connection.execute(_NEW_ASSIGNMENTS, [
        {"lease_id": lease.id, "item_id": item_id, "share": share}
        for item_id, share in shares.items()])
    leased = [*candidates]
    for item in gold:  # nothing in the order gives a gold item away
        leased.insert(_shuffle.randrange(len(leased) + 1), item)
    return leased


def _candidates(session: Session, queue: Queue, reviewer: str, now: datetime,
                max_items: int) -> list[Any]:
    """Overlap items waiting for another reviewer first (so they finish), then fresh ones
    (plain rows of the item's columns)."""
    overlap = open_overlap_items(session, queue, reviewer, now, max_items)
    if len(overlap) >= max_items:
        return overlap
    fresh = session.connection().execute(_FRESH, {
        "queue": queue.name, "now": now, "limit": max_items - len(overlap)}).all()
    return [*overlap, *fresh]


def lease_for_request(db: Database, queue_name: str, reviewer: str, max_items: int,
                      ttl: float, *, request_id: str | None, max_held: int,
                      guard: Callable[[set[str], bool], None] | None = None) -> LeaseReply:
    """`claim_items` made idempotent by the client's request id and bounded by what the
    reviewer already holds (409 `holding_limit` at `max_held` undecided items). One write
    transaction: the caller's `guard` (who may lease this queue, from the teams it is
    reserved for and whether it is an escalation tier), the repeat check, the bound, the
    claim and its request id."""
    with db.writer() as session:
        rows = session.execute(_QUEUE_ACCESS, {"queue": queue_name}).all()
        if not rows:
            raise ApiError(404, "unknown_queue", f"There is no queue named {queue_name!r}.")
        if guard is not None:
            guard({row.team for row in rows if row.team is not None}, bool(rows[0].tier))
        held, repeat = session.execute(_BOOKKEEPING, {
            "reviewer": reviewer, "request_id": request_id, "now": utcnow()}).one()
        if request_id and repeat is not None:
            again = _repeated(session, reviewer, request_id)
            if again is not None:
                return again
        held = held or 0
        if held >= max_held:
            raise ApiError(409, "holding_limit",
                           f"You already hold {held} undecided items, the most allowed at "
                           f"once is {max_held}: decide or release some before leasing more.")
        # The queue is in the session now: claim_items gets it without a query.
        return claim_items(session, queue_name, reviewer, min(max_items, max_held - held),
                           ttl, request_id)


# Items leased to the reviewer right now and not yet decided on the server.
_HELD = (select(func.count(Item.id)).join(Lease, Item.lease_id == Lease.id)
         .where(Lease.reviewer == bindparam("reviewer"), Lease.released_at.is_(None),
                Item.state == "pending", Item.lease_expires_at > bindparam("now")))
_BY_REQUEST = select(Lease).where(Lease.reviewer == bindparam("reviewer"),
                                  Lease.request_id == bindparam("request_id"))
# What a lease request checks first, two statements for five: the queue with the teams it
# is reserved for and whether some queue escalates to it; then what the reviewer holds
# and whether this request id made a lease already.
_QUEUE_ACCESS = (
    select(Queue, QueueTeam.team, exists(select(QueueRoute.queue).where(
        QueueRoute.escalation_queue == Queue.name)).label("tier"))
    .outerjoin(QueueTeam, QueueTeam.queue == Queue.name)
    .where(Queue.name == bindparam("queue")))
_BOOKKEEPING = select(_HELD.scalar_subquery(), select(Lease.id).where(
    Lease.reviewer == bindparam("reviewer"), Lease.request_id == bindparam("request_id"))
    .limit(1).scalar_subquery())


def _repeated(session: Session, reviewer: str, request_id: str) -> LeaseReply | None:
    """The live lease an earlier request with this id made, with its undecided items."""
    now = utcnow()
    lease = session.scalars(_BY_REQUEST, {"reviewer": reviewer,
                                          "request_id": request_id}).first()
    if lease is None or not lease_is_live(lease, now):
        return None
    queue = session.get(Queue, lease.queue)
    # Every item the lease holds (shared ones, gold and overlap, only through their
    # LeaseItem) that the reviewer has not decided under it yet.
    decided = select(DecisionRecord.item_id).where(DecisionRecord.lease_id == lease.id)
    items = session.scalars(
        select(Item).join(LeaseItem, LeaseItem.item_id == Item.id)
        .where(LeaseItem.lease_id == lease.id, Item.id.not_in(decided))
        .order_by(Item.created_at, Item.id)
    ).all()
    assert queue is not None  # a lease's queue is a foreign key
    return LeaseReply(lease_id=lease.id, queue=queue.name, expires_at=lease.expires_at,
                      taxonomy=wire_taxonomy(queue),
                      items=[item_to_wire(item) for item in items])


def _own_lease(session: Session, lease_id: str, reviewer: str) -> Lease:
    lease = session.get(Lease, lease_id)
    if lease is None:
        raise ApiError(404, "unknown_lease", f"There is no lease {lease_id!r}.")
    if lease.reviewer != reviewer:
        raise ApiError(403, "not_lease_holder", "This lease belongs to another reviewer.")
    return lease


def renew_lease(db: Database, lease_id: str, reviewer: str, ttl: float,
                rule: Callable[[Session, Lease, datetime], None] | None = None,
                ) -> LeaseRenewed:
    """Extend the caller's live lease; `rule` may refuse it (`server.access`)."""
    with db.writer() as session:
        lease = _own_lease(session, lease_id, reviewer)
        now = utcnow()
        if lease.released_at is not None:
            raise ApiError(409, "lease_released", "The lease was released.")
        if lease.expires_at <= now:
            raise ApiError(409, "lease_expired", "The lease has expired; lease items again.")
        if rule is not None:
            rule(session, lease, now)
        # never shorter than it was: a batch taken offline keeps its long lease
        until = max(lease.expires_at, now + timedelta(seconds=ttl))
        connection = session.connection()
        connection.execute(_EXTEND, {"lease": lease.id, "until": until})
        # Decided items too: their holder may still undo, and needs their media for it.
        connection.execute(_EXTEND_ITEMS, {"lease": lease.id, "until": until})
        return LeaseRenewed(lease_id=lease.id, expires_at=until)


def release_lease(db: Database, lease_id: str, reviewer: str) -> LeaseReleased:
    """Return the lease's undecided items to the queue. Releasing twice releases nothing."""
    with db.writer() as session:
        lease = _own_lease(session, lease_id, reviewer)
        connection = session.connection()
        released = connection.execute(_RETURN_ITEMS, {"lease": lease.id}).rowcount
        if lease.released_at is None:
            released = (released or 0) + undecided_shared(session, lease.id)
            connection.execute(_RELEASE, {"lease": lease.id, "now": utcnow()})
        return LeaseReleased(lease_id=lease.id, released=released or 0)


# Renewal's and release's writes, built once and run as plain SQL.
_LEASES = Lease.__table__
_EXTEND = _LEASES.update().where(_LEASES.c.id == bindparam("lease")).values(
    expires_at=bindparam("until"))
_EXTEND_ITEMS = _ITEMS.update().where(_ITEMS.c.lease_id == bindparam("lease")).values(
    lease_expires_at=bindparam("until"))
_RETURN_ITEMS = _ITEMS.update().where(
    _ITEMS.c.lease_id == bindparam("lease"), _ITEMS.c.state == "pending").values(
    lease_id=None, lease_expires_at=None)
_RELEASE = _LEASES.update().where(_LEASES.c.id == bindparam("lease")).values(
    released_at=bindparam("now"))


def lease_is_live(lease: Lease, now: datetime) -> bool:
    return lease.released_at is None and lease.expires_at > now
