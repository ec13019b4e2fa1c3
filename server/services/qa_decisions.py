"""The QA decision finder: filtered decisions with their timelines, paged by an opaque
cursor over a unique order (decided_at, decision_id), newest first, so every decision
comes exactly once however many share a timestamp.

A sample ("N per reviewer", or N overall) is chosen from the filtered decision ids with a
seeded generator over a sorted population: the same seed gives the same sample, and the
cursor pages through it like any other list. Only ids are loaded to choose it.

Escalations are linked both ways: a decision of the escalation tier names the first item
and decision (`escalated_from`, `first_decision_id`), an `escalate` the tier's item.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from reviewer.protocol import DecisionEvent, QADecision, QADecisions
from server.errors import ApiError
from server.models import DecisionRecord, GoldItem, Item
from server.services.escalation import escalated_to
from server.services.items import item_to_wire
from server.services.taxonomy import ESCALATE

MAX_SAMPLE_IDS = 200_000
MAX_SAMPLE = 10_000


@dataclass(frozen=True)
class DecisionFilter:
    """What the QA lead is looking for; None means "any"."""

    reviewer: str | None = None
    queue: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    escalated: bool | None = None
    late: bool | None = None
    superseded: bool | None = None


def superseded_expr() -> ColumnElement[bool]:
    later = aliased(DecisionRecord)
    # `is not null` is redundant for the answer but lets PostgreSQL read the few
    # superseding decisions from the index instead of scanning the table for them.
    return exists(select(later.decision_id).where(later.supersedes.is_not(None),
                                                  later.supersedes == DecisionRecord.decision_id))


def filter_clauses(f: DecisionFilter) -> list[ColumnElement[bool]]:
    d = DecisionRecord
    clauses: list[ColumnElement[bool]] = []
    for column, value in ((d.reviewer, f.reviewer), (d.queue, f.queue), (d.action, f.action)):
        if value:
            clauses.append(column == value)
    if f.since:
        clauses.append(d.decided_at >= f.since)
    if f.until:
        clauses.append(d.decided_at < f.until)
    if f.escalated is not None:
        clauses.append((d.action == ESCALATE) if f.escalated else (d.action != ESCALATE))
    if f.late is not None:
        clauses.append((d.status == "late") if f.late else (d.status != "late"))
    if f.superseded is not None:
        clauses.append(superseded_expr() if f.superseded else ~superseded_expr())
    return clauses


# --- cursor -----------------------------------------------------------------------------


def encode_cursor(record: DecisionRecord) -> str:
    raw = json.dumps({"t": record.decided_at.isoformat(), "i": record.decision_id})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        fields = json.loads(raw)
        return datetime.fromisoformat(fields["t"]), str(UUID(fields["i"]))
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise ApiError(422, "invalid_cursor",
                       "The cursor is not one this server gave out; start again without it."
                       ) from exc


def _after(cursor: str) -> ColumnElement[bool]:
    decided_at, decision_id = decode_cursor(cursor)
    d = DecisionRecord
    return or_(d.decided_at < decided_at,
               and_(d.decided_at == decided_at, d.decision_id < decision_id))


# --- sampling ---------------------------------------------------------------------------


def sample_ids(session: Session, clauses: list[ColumnElement[bool]], *, per_reviewer: int | None,
               overall: int | None, seed: int | None) -> list[str]:
    """The sampled decision ids: `per_reviewer` of each reviewer, then `overall` of those."""
    rows = session.execute(select(DecisionRecord.reviewer, DecisionRecord.decision_id)
                           .where(*clauses).limit(MAX_SAMPLE_IDS + 1)).all()
    if len(rows) > MAX_SAMPLE_IDS:
        raise ApiError(422, "sample_too_large", f"More than {MAX_SAMPLE_IDS} decisions match; "
                       "narrow the filters (a date range, a queue) before sampling.")
    chosen = sorted(decision_id for _, decision_id in rows)
    if per_reviewer is not None:
        by_reviewer: dict[str, list[str]] = defaultdict(list)
        for reviewer, decision_id in rows:
            by_reviewer[reviewer].append(decision_id)
        chosen = []
        for reviewer in sorted(by_reviewer):
            ids = sorted(by_reviewer[reviewer])
            rng = random.Random(f"{seed}:{reviewer}")
            chosen.extend(rng.sample(ids, min(per_reviewer, len(ids))))
        chosen.sort()
    if overall is not None:
        chosen = sorted(random.Random(f"{seed}").sample(chosen, min(overall, len(chosen))))
    if len(chosen) > MAX_SAMPLE:
        raise ApiError(422, "sample_too_large", f"The sample would hold {len(chosen)} "
                       f"decisions; at most {MAX_SAMPLE}: sample fewer or narrow the filters.")
    return chosen


# --- the page ---------------------------------------------------------------------------


def _to_wire(record: DecisionRecord, superseded_by: str | None,
             gold_action: str | None) -> QADecision:
    events = [DecisionEvent.model_validate(event) for event in record.events]
    handle_ms = record.handle_ms
    if handle_ms is None:  # stored before the column existed
        handle_ms = max(0, int((record.decided_at - record.started_at).total_seconds() * 1000))
    reveals = record.reveals
    if reveals is None:
        reveals = sum(event.type == "reveal_start" for event in events)
    return QADecision(
        decision_id=UUID(record.decision_id), item_id=record.item_id, queue=record.queue,
        reviewer=record.reviewer, lease_id=record.lease_id, action=record.action,
        labels=record.labels, note=record.note,
        supersedes=UUID(record.supersedes) if record.supersedes else None,
        superseded_by=UUID(superseded_by) if superseded_by else None,
        status=record.status,  # type: ignore[arg-type]
        started_at=record.started_at, decided_at=record.decided_at,
        received_at=record.received_at, events=events, handle_ms=handle_ms, reveals=reveals,
        gold_action=gold_action,
    )


def _links(item: Item | None, tier_item: str | None) -> dict[str, object]:
    """The escalation links of a decision: to the first item and decision when it was
    made in an escalation tier, to the tier's item when it is an `escalate` that got one."""
    links: dict[str, object] = {"escalated_to": tier_item}
    if item is not None and item.escalated_from is not None:
        links["escalated_from"] = item.escalated_from
        links["first_decision_id"] = (UUID(item.escalation_decision)
                                      if item.escalation_decision else None)
    return links


def list_decisions(session: Session, f: DecisionFilter, *, limit: int = 100,
                   cursor: str | None = None, sample: int | None = None,
                   sample_per_reviewer: int | None = None,
                   seed: int | None = None) -> QADecisions:
    """One page, newest first, and the cursor of the next page (None on the last)."""
    clauses = filter_clauses(f)
    if sample is not None or sample_per_reviewer is not None:
        ids = sample_ids(session, clauses, per_reviewer=sample_per_reviewer, overall=sample,
                         seed=seed)
        clauses = [DecisionRecord.decision_id.in_(ids)]
    if cursor:
        clauses.append(_after(cursor))
    records = list(session.scalars(
        select(DecisionRecord).where(*clauses)
        .order_by(DecisionRecord.decided_at.desc(), DecisionRecord.decision_id.desc())
        .limit(limit + 1)))
    more = len(records) > limit
    records = records[:limit]
    ids = [r.decision_id for r in records]
    superseded_by = dict(session.execute(
        select(DecisionRecord.supersedes, DecisionRecord.decision_id)
        .where(DecisionRecord.supersedes.in_(ids))).all())
    item_ids = {r.item_id for r in records}
    gold = dict(session.execute(select(GoldItem.item_id, GoldItem.action).where(
        GoldItem.item_id.in_(item_ids))).all())
    rows = {item.id: item for item in session.scalars(select(Item).where(Item.id.in_(item_ids)))}
    tier_items = escalated_to(session, [r.decision_id for r in records if r.action == ESCALATE])
    data = [_to_wire(r, superseded_by.get(r.decision_id), gold.get(r.item_id))
            .model_copy(update={"item": item_to_wire(rows[r.item_id]) if r.item_id in rows
                                else None, **_links(rows.get(r.item_id), tier_items.get(
                                    r.decision_id))})
            for r in records]
    return QADecisions(data=data, count=len(data),
                       next_cursor=encode_cursor(records[-1]) if more and records else None)
