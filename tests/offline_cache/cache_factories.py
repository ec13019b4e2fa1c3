"""Factories for protocol models used by the offline_cache tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from reviewer.protocol import (
    Decision,
    DecisionEvent,
    ExposureEntry,
    Item,
    LeaseReply,
    MediaRef,
    QAVerdict,
    Taxonomy,
    TaxonomyEntry,
)

TAXONOMY = Taxonomy(
    actions=[
        TaxonomyEntry(id="approve", title="Approve", key="1"),
        TaxonomyEntry(id="remove", title="Remove", key="2"),
        TaxonomyEntry(id="escalate", title="Escalate"),
    ],
    labels=[TaxonomyEntry(id="slur", title="Slur", key="1")],
)


def make_item(item_id: str, queue: str = "hate-speech", *, media: bool = False) -> Item:
    return Item(
        id=item_id,
        queue=queue,
        kind="image" if media else "text",
        text=None if media else f"text of {item_id}",
        media=MediaRef(sha256="ab" * 32, mime="image/jpeg", bytes=123) if media else None,
        category="hate",
        severity=2,
        context={"source": "test"},
        created_at=datetime(2024, 5, 1, tzinfo=UTC),
    )


def make_lease(lease_id: str, item_ids: list[str], queue: str = "hate-speech") -> LeaseReply:
    return LeaseReply(
        lease_id=lease_id,
        queue=queue,
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
        taxonomy=TAXONOMY,
        items=[make_item(i, queue, media=n % 2 == 0) for n, i in enumerate(item_ids)],
    )


def make_decision(
    item_id: str = "item-1", action: str = "approve", lease_id: str = "L1"
) -> Decision:
    now = datetime.now(UTC)
    return Decision(
        decision_id=uuid4(),
        item_id=item_id,
        lease_id=lease_id,
        action=action,
        labels=["slur"],
        started_at=now - timedelta(seconds=3),
        decided_at=now,
        events=[DecisionEvent(at_ms=0, type="shown"), DecisionEvent(at_ms=2900, type="decided")],
        client="tests",
    )


def make_verdict(decision: Decision | None = None, action: str = "remove") -> QAVerdict:
    return QAVerdict(
        verdict_id=uuid4(),
        decision_id=(decision or make_decision()).decision_id,
        action=action,
        labels=["slur"],
        note="looked again",
    )


def make_exposure(item_id: str = "item-1", duration_ms: int = 1500) -> ExposureEntry:
    return ExposureEntry(
        entry_id=uuid4(),
        item_id=item_id,
        category="gore",
        severity=3,
        mode="hold",
        started_at=datetime.now(UTC) - timedelta(minutes=1),
        duration_ms=duration_ms,
    )
