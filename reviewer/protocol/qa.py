"""The QA lead's decisions, verdicts, gold items and report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from reviewer.protocol.base import Name, ShortText, WireModel
from reviewer.protocol.decisions import DecisionEvent
from reviewer.protocol.items import Item


class QADecision(WireModel):
    decision_id: UUID
    item_id: Name
    queue: Name
    reviewer: Name
    lease_id: Name
    action: Name
    labels: list[Name] = []
    note: ShortText | None = None
    supersedes: UUID | None = None
    superseded_by: UUID | None = None
    status: Literal["accepted", "late"]
    started_at: datetime
    decided_at: datetime
    received_at: datetime
    events: list[DecisionEvent] = []
    handle_ms: Annotated[int, Field(ge=0)] | None = None
    """decided_at - started_at, from the reviewer's own clock."""
    reveals: Annotated[int, Field(ge=0)] = 0
    """How many times the reviewer revealed the item before this decision."""
    gold_action: Name | None = None
    """The expected action when the item is a gold item (QA only; reviewers never see it)."""
    item: Item | None = None
    """The item as the reviewer got it, for the replay (None if it no longer exists)."""
    escalated_from: Name | None = None
    """A decision of the escalation tier: the first item, whose `escalate` sent it here."""
    first_decision_id: UUID | None = None
    """A decision of the escalation tier: the first `escalate` decision."""
    escalated_to: Name | None = None
    """An `escalate` decision that reached a tier: the tier's item (its decision counts)."""


class QADecisions(WireModel):
    data: Annotated[list[QADecision], Field(max_length=10_000)]
    count: Annotated[int, Field(ge=0)]
    next_cursor: Annotated[str, Field(max_length=200)] | None = None
    """Pass as `cursor` for the next page; None on the last page."""


class QAVerdict(WireModel):
    verdict_id: UUID
    decision_id: UUID
    action: Name
    labels: Annotated[list[Name], Field(max_length=20)] = []
    blind: bool = True
    note: ShortText | None = None


class QAVerdictBatch(WireModel):
    verdicts: Annotated[list[QAVerdict], Field(min_length=1, max_length=1000)]


class QAVerdictResults(WireModel):
    accepted: Annotated[int, Field(ge=0)]
    duplicate: Annotated[int, Field(ge=0)]
    rejected: Annotated[list[UUID], Field(max_length=1000)] = []


Rate = Annotated[float, Field(ge=0.0, le=1.0)]
Kappa = Annotated[float, Field(ge=-1.0, le=1.0)]
Reason = Annotated[str, Field(max_length=200)]


class QAReportRow(WireModel):
    """One reviewer, one queue, or everything (both None) over the report's range.

    Every figure that can be undefined comes with the reason when it is None: no verdicts
    is not 0 %, and a kappa with one action only is not 0.
    """

    reviewer: Name | None = None
    queue: Name | None = None
    decisions: Annotated[int, Field(ge=0)] = 0
    verdicts: Annotated[int, Field(ge=0)] = 0
    agreement: Rate | None = None
    agreement_reason: Reason | None = None
    cohen_kappa: Kappa | None = None
    cohen_kappa_reason: Reason | None = None
    confusion: dict[Name, dict[Name, int]] = {}
    """reviewer action -> QA action -> count."""
    gold_decisions: Annotated[int, Field(ge=0)] = 0
    gold_accuracy: Rate | None = None
    gold_reason: Reason | None = None
    overlap_pairs: Annotated[int, Field(ge=0)] = 0
    overlap_agreement: Rate | None = None
    overlap_kappa: Kappa | None = None
    overlap_kappa_method: Literal["cohen", "fleiss"] | None = None
    overlap_reason: Reason | None = None
    handle_time_ms_p50: Annotated[int, Field(ge=0)] | None = None
    handle_time_ms_p90: Annotated[int, Field(ge=0)] | None = None
    escalation_rate: Rate | None = None
    reveal_rate: Rate | None = None


class QAReport(WireModel):
    verdicts: Annotated[int, Field(ge=0)]
    agreement: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    cohen_kappa: Annotated[float, Field(ge=-1.0, le=1.0)] | None = None
    confusion: dict[Name, dict[Name, int]] = {}
    handle_time_ms_p50: Annotated[int, Field(ge=0)] | None = None
    since: datetime | None = None
    until: datetime | None = None
    overall: QAReportRow | None = None
    reviewers: Annotated[list[QAReportRow], Field(max_length=10_000)] = []
    queues: Annotated[list[QAReportRow], Field(max_length=1000)] = []


class GoldMark(WireModel):
    """A QA lead marks an item as gold: reviewers get it mixed into their leases."""

    item_id: Name
    action: Name


class GoldItemPublic(WireModel):
    item_id: Name
    queue: Name
    action: Name
    marked_by: Name
    marked_at: datetime


class GoldItems(WireModel):
    data: Annotated[list[GoldItemPublic], Field(max_length=10_000)]
    count: Annotated[int, Field(ge=0)]
