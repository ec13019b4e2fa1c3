"""The escalation tier: an accepted `escalate` on an item of a queue that names an
escalation queue (`queue_routes`) puts a copy of the item in that queue, pending.

The copy is a new item row (`Item.escalated_from` links it to the first item,
`Item.escalation_decision` to the `escalate` decision), so both decisions stay on record
under their own items, and a lease on the copy grants its media (same `media_sha256`)
exactly as for any item. The first decision, its note and its timeline are summarised
in the copy's `context`, which the review window's context panel shows. The tier's
decision on the copy is the first item's outcome (`outcome_item`).

An `escalate` later superseded by its reviewer withdraws its copy while the tier has not
decided it yet (state `withdrawn`, out of the queue); a new `escalate` makes a new copy.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from server.models import DecisionRecord, Item, QueueRoute, utcnow
from server.services.taxonomy import ESCALATE

WITHDRAWN = "withdrawn"
CONTEXT_LIMIT = 2000  # a context value's wire limit (`reviewer.protocol.items.Item`)


def escalation_queue(session: Session, queue: str) -> str | None:
    """The queue this queue's escalations go to, or None (escalate is then final)."""
    route = session.get(QueueRoute, queue)
    return route.escalation_queue if route is not None else None


def is_escalation_queue(session: Session | Connection, queue: str) -> bool:
    """Whether some queue escalates to this one: it is then a tier queue (`senior`)."""
    return session.scalar(_ESCALATES_TO, {"queue": queue}) is not None


_ESCALATES_TO = select(QueueRoute.queue).where(  # built once: every lease asks
    QueueRoute.escalation_queue == bindparam("queue")).limit(1)


def summarise_timeline(events: list[dict[str, object]]) -> str:
    """"shown 0 s · reveal_start 2.1 s (blur, 1.5 s) · decided 4.0 s", cut to fit."""
    parts = []
    for event in events:
        text = f"{event.get('type')} {int(event.get('at_ms') or 0) / 1000:.1f} s"  # type: ignore[call-overload]
        extra = [str(event[k]) for k in ("mode", "action") if event.get(k)]
        if event.get("duration_ms") is not None:
            extra.append(f"{int(event['duration_ms']) / 1000:.1f} s")  # type: ignore[call-overload]
        parts.append(f"{text} ({', '.join(extra)})" if extra else text)
    summary = " · ".join(parts) or "no events"
    return summary if len(summary) <= CONTEXT_LIMIT else summary[:CONTEXT_LIMIT - 1] + "…"


def _context(first: Item, record: DecisionRecord) -> dict[str, str]:
    labels = ", ".join(record.labels)
    ours = {
        "escalated_from": first.id,
        "escalated_by": record.reviewer,
        "first_decision": f"{record.action} ({labels})" if labels else record.action,
        "first_decision_id": record.decision_id,
        "first_decided_at": record.decided_at.isoformat(),
        "escalation_note": (record.note or "—")[:CONTEXT_LIMIT],
        "first_timeline": summarise_timeline(record.events),
    }
    theirs = [(k, v) for k, v in first.context.items() if k not in ours]
    # The wire allows 32 keys: ours are kept, the first item's oldest ones give way.
    return dict(theirs[max(0, len(theirs) + len(ours) - 32):]) | ours


def withdraw_superseded(session: Session, record: DecisionRecord) -> None:
    """Take back the copy an `escalate` made when that decision is superseded, unless
    the tier has decided it already (then its decision stands)."""
    if record.supersedes is None:
        return
    for copy in session.scalars(select(Item).where(
            Item.escalation_decision == record.supersedes, Item.state == "pending")):
        copy.state, copy.lease_id, copy.lease_expires_at = WITHDRAWN, None, None


def escalate(session: Session, first: Item, record: DecisionRecord) -> Item | None:
    """Put the item in its queue's escalation queue for an accepted `escalate` decision;
    None when the decision is another action or the queue names no escalation queue."""
    if record.action != ESCALATE or record.status != "accepted":
        return None
    target = escalation_queue(session, first.queue)
    if target is None:
        return None
    copy = Item(
        id=f"esc-{record.decision_id}", queue=target, kind=first.kind, text=first.text,
        media_sha256=first.media_sha256, mime=first.mime, media_bytes=first.media_bytes,
        preview_sha256=first.preview_sha256, preview_bytes=first.preview_bytes,
        category=first.category, severity=first.severity, context=_context(first, record),
        created_at=utcnow(), sla_due=first.sla_due, state="pending",
        escalated_from=first.id, escalation_decision=record.decision_id,
    )
    session.add(copy)
    return copy


def escalated_to(session: Session, decision_ids: list[str]) -> dict[str, str]:
    """Escalate decision id -> the tier item it made (withdrawn copies included)."""
    if not decision_ids:
        return {}
    return dict(session.execute(select(Item.escalation_decision, Item.id).where(
        Item.escalation_decision.in_(decision_ids))).all())  # type: ignore[arg-type]


def outcome_item(session: Session, item_id: str) -> str:
    """The item whose decision is this item's outcome: the last tier copy that was not
    withdrawn, followed through further tiers; the item itself when never escalated."""
    seen = {item_id}
    while True:
        copy = session.scalar(select(Item.id).where(
            Item.escalated_from == item_id, Item.state != WITHDRAWN)
            .order_by(Item.created_at.desc(), Item.id.desc()).limit(1))
        if copy is None or copy in seen:
            return item_id
        seen.add(copy)
        item_id = copy
