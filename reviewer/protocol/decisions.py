"""Decisions and their timelines; the built-in actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from reviewer.protocol.base import (
    MAX_DECISIONS_PER_BATCH,
    MAX_EVENTS_PER_DECISION,
    DecisionStatus,
    EventType,
    Name,
    RevealMode,
    ShortText,
    WireModel,
)

ESCALATE = "escalate"
SKIP = "skip"
BUILTIN_ACTIONS: tuple[str, ...] = (ESCALATE, SKIP)
"""Actions every queue accepts besides its taxonomy's: `escalate` sends the item to a
senior tier (the server lists it in every taxonomy), `skip` hands it back to the queue
(accepted everywhere, listed nowhere: clients bind it to a key of their own)."""


class DecisionEvent(WireModel):
    """One step of an item's timeline, in ms since the item was first shown."""

    at_ms: Annotated[int, Field(ge=0, le=86_400_000)]
    type: EventType
    duration_ms: Annotated[int, Field(ge=0, le=86_400_000)] | None = None
    mode: RevealMode | None = None
    action: Name | None = None


class Decision(WireModel):
    decision_id: UUID
    item_id: Name
    lease_id: Name
    action: Name
    labels: Annotated[list[Name], Field(max_length=20)] = []
    note: ShortText | None = None
    supersedes: UUID | None = None
    started_at: datetime
    decided_at: datetime
    events: Annotated[list[DecisionEvent], Field(max_length=MAX_EVENTS_PER_DECISION)] = []
    client: Annotated[str, Field(max_length=100)] = ""


class DecisionBatch(WireModel):
    decisions: Annotated[list[Decision], Field(min_length=1, max_length=MAX_DECISIONS_PER_BATCH)]


class DecisionResult(WireModel):
    decision_id: UUID
    status: DecisionStatus
    reason: Annotated[str, Field(max_length=500)] | None = None


class DecisionResults(WireModel):
    results: Annotated[list[DecisionResult], Field(max_length=MAX_DECISIONS_PER_BATCH)]
