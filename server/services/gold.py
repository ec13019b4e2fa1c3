"""Gold items and a queue's sharing settings (gold rate, overlap rate and k).

Marking an item gold takes it out of the ordinary queue (state `gold`, no `lease_id`): from
then on it reaches reviewers only mixed into their leases (`shared_items`). A reviewer who
holds it under an ordinary lease at that moment finds their decision late.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer.protocol import GoldItemPublic, GoldItems
from server.errors import ApiError
from server.models import GoldItem, Item, Queue
from server.services.shared_items import GOLD, OVERLAP
from server.services.taxonomy import SKIP, allowed_actions

MAX_GOLD_RATE = 0.5
MAX_OVERLAP_K = 20


def _public(gold: GoldItem) -> GoldItemPublic:
    return GoldItemPublic(item_id=gold.item_id, queue=gold.queue, action=gold.action,
                          marked_by=gold.marked_by, marked_at=gold.marked_at)


def mark_gold(session: Session, item_id: str, action: str, marked_by: str,
              queue: str | None = None) -> GoldItemPublic:
    """Mark (or re-mark with another expected action) an item as gold."""
    item = session.get(Item, item_id)
    if item is None or (queue is not None and item.queue != queue):
        where = f" in queue {queue!r}" if queue else ""
        raise ApiError(404, "unknown_item", f"There is no item {item_id!r}{where}.")
    if item.share == OVERLAP:
        raise ApiError(409, "item_is_overlap",
                       "This item is out for overlap review; choose another for gold.")
    owner = session.get(Queue, item.queue)
    assert owner is not None
    if action == SKIP or action not in allowed_actions(owner):
        raise ApiError(422, "unknown_action",
                       f"{action!r} is not an action of the queue {owner.name!r}.")
    item.state, item.share, item.lease_id, item.lease_expires_at = GOLD, GOLD, None, None
    gold = session.get(GoldItem, item.id)
    if gold is None:
        gold = GoldItem(item_id=item.id, queue=item.queue, action=action, marked_by=marked_by)
        session.add(gold)
    else:
        gold.action, gold.marked_by = action, marked_by
    session.flush()
    return _public(gold)


def list_gold(session: Session, queue: str | None = None) -> GoldItems:
    query = select(GoldItem).order_by(GoldItem.queue, GoldItem.item_id)
    if queue:
        query = query.where(GoldItem.queue == queue)
    data = [_public(gold) for gold in session.scalars(query.limit(10_000))]
    return GoldItems(data=data, count=len(data))


def set_sharing(session: Session, queue_name: str, *, gold_rate: float | None = None,
                overlap_rate: float | None = None, overlap_k: int | None = None) -> Queue:
    """Change the given settings of a queue; the others stay as they are."""
    queue = session.get(Queue, queue_name)
    if queue is None:
        raise ApiError(404, "unknown_queue", f"There is no queue named {queue_name!r}.")
    if gold_rate is not None:
        if not 0.0 <= gold_rate <= MAX_GOLD_RATE:
            raise ValueError(f"the gold rate is a share between 0 and {MAX_GOLD_RATE}")
        queue.gold_rate = gold_rate
    if overlap_rate is not None:
        if not 0.0 <= overlap_rate <= 1.0:
            raise ValueError("the overlap rate is a share between 0 and 1")
        queue.overlap_rate = overlap_rate
    if overlap_k is not None:
        if not 2 <= overlap_k <= MAX_OVERLAP_K:
            raise ValueError(f"overlap k is a number of reviewers from 2 to {MAX_OVERLAP_K}")
        queue.overlap_k = overlap_k
    return queue
