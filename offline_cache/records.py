"""What the local store hands back: plain frozen records around protocol models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from reviewer.protocol import Decision, Item, QAVerdict, Taxonomy

ItemState = Literal["undecided", "decided", "skipped", "broken"]
ITEM_STATES: tuple[str, ...] = ("undecided", "decided", "skipped", "broken")
# Items still waiting for the reviewer: a broken one is shown as "cannot display" and
# can still be escalated or skipped.
AWAITING_STATES: tuple[str, ...] = ("undecided", "broken")
OutboxStatus = Literal["pending", "accepted", "duplicate", "late", "rejected"]
ANSWER_STATUSES: tuple[str, ...] = ("accepted", "duplicate", "late", "rejected")
VerdictStatus = Literal["pending", "accepted", "duplicate", "rejected"]
VERDICT_ANSWERS: tuple[str, ...] = ("accepted", "duplicate", "rejected")


@dataclass(frozen=True)
class CachedLease:
    lease_id: str
    queue: str
    expires_at: datetime
    taxonomy: Taxonomy


@dataclass(frozen=True)
class CachedItem:
    item: Item
    lease_id: str
    state: ItemState
    error: str | None = None


@dataclass(frozen=True)
class OutboxEntry:
    decision: Decision
    status: OutboxStatus
    reason: str | None
    queue: str


@dataclass(frozen=True)
class VerdictEntry:
    verdict: QAVerdict
    status: VerdictStatus
    reason: str | None
