"""Queues with pending counts, and leasing a batch of items from one."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter
from sqlalchemy import func, select

from reviewer.protocol import LeaseReply, LeaseRequest, QueuePublic, QueuesReply
from server.access import check_queue_access, may_review
from server.deps import DbDep, ReviewerOrQA, ReviewerUser, SettingsDep
from server.errors import ERROR_RESPONSES
from server.models import Item, Queue, utcnow
from server.routes import NamePath
from server.services.leasing import available, lease_for_request

router = APIRouter(tags=["queues"], responses=ERROR_RESPONSES)


@router.get("/queues", response_model=QueuesReply)
def list_queues(user: ReviewerOrQA, db: DbDep) -> QueuesReply:
    """The queues with their pending items; a reviewer sees those they may lease (a QA
    lead sees every queue)."""
    with db.session() as session:
        pending = dict(session.execute(
            select(Item.queue, func.count()).where(available(utcnow())).group_by(Item.queue)
        ).all())
        data = [
            QueuePublic(name=q.name, title=q.title, pending=pending.get(q.name, 0),
                        sensitivity=q.sensitivity)
            for q in session.scalars(select(Queue).order_by(Queue.name))
            if "qa_lead" in user.roles or may_review(session, q.name, user)
        ]
    return QueuesReply(data=data, count=len(data))


@router.post("/queues/{queue}/leases", response_model=LeaseReply)
def lease_items(queue: NamePath, body: LeaseRequest, user: ReviewerUser, db: DbDep,
                settings: SettingsDep) -> LeaseReply:
    guard = partial(check_queue_access, queue=queue, user=user)  # in the claim's transaction
    if body.offline:  # taken offline on purpose: a longer lease, a larger bound
        return lease_for_request(db, queue, user.username, body.max_items,
                                 settings.offline_lease_ttl, request_id=body.request_id,
                                 max_held=max(settings.offline_max_items,
                                              settings.max_held_items), guard=guard)
    return lease_for_request(db, queue, user.username, body.max_items, settings.lease_ttl,
                             request_id=body.request_id, max_held=settings.max_held_items,
                             guard=guard)
