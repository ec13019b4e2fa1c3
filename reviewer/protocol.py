"""The wire protocol: every request and reply body of `/api/v1`, defined once.

The server (FastAPI) declares its routes with these models and the client validates
every reply against them. Each model refuses unknown fields and carries limits on
lengths, counts and ranges, so an oversized or malformed body fails validation
(a 4xx JSON error on the server, a `ProtocolError` on the client) instead of
reaching storage. Never import Qt or the server from here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"

Role = Literal["reviewer", "qa_lead", "wellness", "admin"]
ROLES: tuple[Role, ...] = ("reviewer", "qa_lead", "wellness", "admin")
ItemKind = Literal["image", "text", "video"]
DecisionStatus = Literal["accepted", "duplicate", "late", "rejected"]
EventType = Literal["shown", "reveal_start", "reveal_end", "undo", "decided", "note", "skipped"]
RevealMode = Literal["hold", "toggle"]

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
Title = Annotated[str, Field(min_length=1, max_length=200)]
ShortText = Annotated[str, Field(max_length=2000)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
ShortcutKey = Annotated[str, Field(pattern=r"^[1-9]$")]
Severity = Annotated[int, Field(ge=0, le=3)]

MAX_LEASE_ITEMS = 100
MAX_DECISIONS_PER_BATCH = 200
MAX_EVENTS_PER_DECISION = 500
MAX_TEXT_CHARS = 20_000
MAX_MEDIA_BYTES = 64 * 1024 * 1024
# The long edge of a server-made display rendition (`Item.preview`), in pixels: a
# maximised review window on a 2560x1440 screen fits inside it.
PREVIEW_EDGE = 2048


class WireModel(BaseModel):
    """Base of every body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class ErrorReply(WireModel):
    error: Annotated[str, Field(max_length=64)]
    detail: Annotated[str, Field(max_length=4000)] = ""


# --- auth -----------------------------------------------------------------------------


class TokenRequest(WireModel):
    username: Name
    password: Annotated[str, Field(min_length=1, max_length=256)]


class UserPublic(WireModel):
    username: Name
    roles: Annotated[list[Role], Field(max_length=4)]
    teams: Annotated[list[Name], Field(max_length=32)] = []


class TokenReply(WireModel):
    access_token: Annotated[str, Field(min_length=16, max_length=256)]
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: UserPublic


class MeReply(WireModel):
    user: UserPublic
    queues: Annotated[list[Name], Field(max_length=1000)]


# --- queues, taxonomy, items ------------------------------------------------------------


class TaxonomyEntry(WireModel):
    id: Name
    title: Title
    key: ShortcutKey | None = None


class Taxonomy(WireModel):
    actions: Annotated[list[TaxonomyEntry], Field(min_length=1, max_length=12)]
    labels: Annotated[list[TaxonomyEntry], Field(max_length=50)] = []


class QueuePublic(WireModel):
    name: Name
    title: Title
    pending: Annotated[int, Field(ge=0)]
    sensitivity: Severity


class QueuesReply(WireModel):
    data: Annotated[list[QueuePublic], Field(max_length=1000)]
    count: Annotated[int, Field(ge=0)]


class MediaRef(WireModel):
    sha256: Sha256
    mime: Annotated[str, Field(min_length=3, max_length=100, pattern=r"^[a-z]+/[a-z0-9.+\-]+$")]
    bytes: Annotated[int, Field(ge=0, le=MAX_MEDIA_BYTES)]


class Item(WireModel):
    id: Name
    queue: Name
    kind: ItemKind
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    media: MediaRef | None = None
    preview: MediaRef | None = None
    """The display rendition of an image the server made at ingest: a JPEG, upright, its
    long edge at most `PREVIEW_EDGE`, no metadata. Absent for small images and for
    media the server could not read. The client downloads and shows it instead of
    `media`; `media` stays the original, served under the same rules."""
    category: Name
    severity: Severity
    context: Annotated[dict[str, Annotated[str, Field(max_length=2000)]], Field(max_length=32)] = {}
    created_at: datetime
    sla_due: datetime | None = None


class ItemCreate(WireModel):
    """Admin ingest of one item. Media travels base64-encoded, at most MAX_MEDIA_BYTES."""

    queue: Name
    kind: ItemKind
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    media_base64: Annotated[str, Field(max_length=(MAX_MEDIA_BYTES * 4) // 3 + 4)] | None = None
    mime: Annotated[str, Field(max_length=100)] | None = None
    category: Name
    severity: Severity = 0
    context: Annotated[dict[str, Annotated[str, Field(max_length=2000)]], Field(max_length=32)] = {}
    sla_due: datetime | None = None


class ItemCreated(WireModel):
    id: Name
    media: MediaRef | None = None
    preview: MediaRef | None = None


def display_media(item: Item) -> MediaRef | None:
    """The media a reviewer's screen shows for `item`: its preview when it has one."""
    return item.preview or item.media


# --- leases ---------------------------------------------------------------------------


class LeaseRequest(WireModel):
    max_items: Annotated[int, Field(ge=1, le=MAX_LEASE_ITEMS)] = 20
    request_id: Name | None = None
    """Made by the client once per lease it wants; a repeat (its reply was lost) gets the
    same lease and items back instead of claiming more."""
    offline: bool = False
    """A batch taken offline on purpose (a planned outage, travel): a longer lease, and
    more undecided items allowed (both bounded by server settings)."""


class LeaseReply(WireModel):
    lease_id: Name
    queue: Name
    expires_at: datetime
    taxonomy: Taxonomy
    items: Annotated[list[Item], Field(max_length=MAX_LEASE_ITEMS)]


class LeaseRenewed(WireModel):
    lease_id: Name
    expires_at: datetime


class LeaseReleased(WireModel):
    lease_id: Name
    released: Annotated[int, Field(ge=0)]


# --- decisions ------------------------------------------------------------------------


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


# --- policy and wellness ----------------------------------------------------------------


class WellnessPolicy(WireModel):
    """Protection floors and exposure caps. The client enforces them offline."""

    blur_sigma_pct: Annotated[float, Field(ge=0.5, le=20.0)] = 3.0
    severity3_blur_factor: Annotated[float, Field(ge=1.0, le=4.0)] = 1.5
    greyscale: bool = True
    pixelate: bool = False
    mute_audio: bool = True
    autoplay: bool = False
    reveal_enabled: bool = True
    reveal_timeout_s: Annotated[float, Field(ge=1.0, le=120.0)] = 10.0
    max_reveals_per_item: Annotated[int, Field(ge=0, le=100)] = 5
    daily_reveal_seconds_cap: Annotated[int, Field(ge=0, le=86_400)] = 900
    daily_item_cap: Annotated[int, Field(ge=0, le=100_000)] = 2000
    break_every_minutes: Annotated[int, Field(ge=0, le=480)] = 60
    break_length_minutes: Annotated[int, Field(ge=0, le=120)] = 10


class PolicyReply(WireModel):
    taxonomies: Annotated[dict[Name, Taxonomy], Field(max_length=1000)]
    wellness: WellnessPolicy
    scope: Annotated[str, Field(max_length=80)] = "default"


class WellnessPolicyPut(WireModel):
    policy: WellnessPolicy


class WellnessPolicyStored(WireModel):
    scope: Annotated[str, Field(max_length=80)]
    policy: WellnessPolicy


class ExposureEntry(WireModel):
    entry_id: UUID
    item_id: Name
    category: Name
    severity: Severity
    mode: RevealMode
    started_at: datetime
    duration_ms: Annotated[int, Field(ge=0, le=86_400_000)]


class ExposureBatch(WireModel):
    entries: Annotated[list[ExposureEntry], Field(min_length=1, max_length=1000)]


class ExposureResults(WireModel):
    accepted: Annotated[int, Field(ge=0)]
    duplicate: Annotated[int, Field(ge=0)]


class WellnessReportRow(WireModel):
    reviewer: Name
    day: date
    decisions: Annotated[int, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    reveal_ms: Annotated[int, Field(ge=0)]
    max_severity_revealed: Severity | None = None


class WellnessReport(WireModel):
    rows: Annotated[list[WellnessReportRow], Field(max_length=100_000)]


# --- QA -------------------------------------------------------------------------------


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


class QADecisions(WireModel):
    data: Annotated[list[QADecision], Field(max_length=10_000)]
    count: Annotated[int, Field(ge=0)]


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


class QAReport(WireModel):
    verdicts: Annotated[int, Field(ge=0)]
    agreement: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    cohen_kappa: Annotated[float, Field(ge=-1.0, le=1.0)] | None = None
    confusion: dict[Name, dict[Name, int]] = {}
    handle_time_ms_p50: Annotated[int, Field(ge=0)] | None = None
