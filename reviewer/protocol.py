"""The wire protocol: every request and reply body of `/api/v1`, defined once.

The server (FastAPI) declares its routes with these models and the client validates
every reply against them. Each model refuses unknown fields and carries limits on
lengths, counts and ranges, so an oversized or malformed body fails validation
(a 4xx JSON error on the server, a `ProtocolError` on the client) instead of
reaching storage. Never import Qt or the server from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal
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


BlurLevel = Literal["none", "light", "medium", "heavy", "warning"]
BLUR_LEVELS: tuple[BlurLevel, ...] = ("none", "light", "medium", "heavy", "warning")
"""The protection ladder, weakest first. `warning` shows a plain card, nothing of the item,
until a deliberate reveal."""
DEFAULT_BLUR_BY_SEVERITY: tuple[BlurLevel, ...] = ("medium", "medium", "medium", "heavy")


class CategoryProtection(WireModel):
    """Protection one category adds on top of its severity's: never less."""

    blur: BlurLevel = "none"
    greyscale: bool = False
    pixelate: bool = False


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
    blur_by_severity: Annotated[list[BlurLevel], Field(min_length=4, max_length=4)] = list(
        DEFAULT_BLUR_BY_SEVERITY)
    """The blur level of an item of severity 0..3 (index = severity). The defaults give
    today's protection: `medium` is `blur_sigma_pct`, `heavy` multiplies it by
    `severity3_blur_factor`."""
    categories: Annotated[dict[Name, CategoryProtection], Field(max_length=200)] = {}
    """Extra protection per item category; it only ever adds to the severity's."""


PolicySource = Annotated[str, Field(max_length=80)]
"""`built-in`, `default`, `team:<name>`, `user:<name>` or `preferences`."""
TimeZoneName = Annotated[str, Field(min_length=1, max_length=64)]


class PolicyReply(WireModel):
    taxonomies: Annotated[dict[Name, Taxonomy], Field(max_length=1000)]
    wellness: WellnessPolicy
    scope: Annotated[str, Field(max_length=80)] = "default"
    sources: Annotated[dict[str, PolicySource], Field(max_length=1000)] = {}
    """Where each value of `wellness` comes from (see `EffectivePolicy.sources`)."""
    time_zone: TimeZoneName = "UTC"
    """The time zone whose calendar days the caps and the report count in."""


class WellnessPolicyPut(WireModel):
    policy: WellnessPolicy


class WellnessPolicyStored(WireModel):
    scope: Annotated[str, Field(max_length=80)]
    policy: WellnessPolicy
    set_fields: Annotated[list[str], Field(max_length=100)] = []
    """The fields this scope sets; the others are not part of this layer."""
    updated_at: datetime | None = None
    updated_by: Name | None = None


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
    rejected: Annotated[int, Field(ge=0)] = 0
    """Entries for items the caller never held, or outside the lease window: not stored.
    Sending them again will not change the answer."""


class WellnessReportRow(WireModel):
    reviewer: Name
    day: date
    decisions: Annotated[int, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    reveal_ms: Annotated[int, Field(ge=0)]
    max_severity_revealed: Severity | None = None


class WellnessReport(WireModel):
    rows: Annotated[list[WellnessReportRow], Field(max_length=100_000)]


class WellnessPolicies(WireModel):
    data: Annotated[list[WellnessPolicyStored], Field(max_length=10_000)]
    count: Annotated[int, Field(ge=0)]


class PolicyChange(WireModel):
    """One audited change of a scope's policy: `before`/`after` are the layer's set fields
    (None: no policy stored for the scope)."""

    at: datetime
    who: Name
    scope: Annotated[str, Field(max_length=80)]
    before: dict[str, object] | None = None
    after: dict[str, object] | None = None


class PolicyChanges(WireModel):
    data: Annotated[list[PolicyChange], Field(max_length=10_000)]
    count: Annotated[int, Field(ge=0)]


class EffectivePolicy(WireModel):
    """The policy in force for one reviewer, and the scope each value comes from: keys are
    field names, `blur_by_severity.<n>` and `categories.<name>`."""

    username: Name
    teams: Annotated[list[Name], Field(max_length=32)] = []
    policy: WellnessPolicy
    sources: Annotated[dict[str, PolicySource], Field(max_length=1000)] = {}
    time_zone: TimeZoneName = "UTC"


class BreakEntry(WireModel):
    """A break the schedule asked for, sent once it is over (taken or skipped). Idempotent
    by `break_id`: a repeat is a duplicate, never a second break."""

    break_id: UUID
    due_at: datetime
    taken_seconds: Annotated[int, Field(ge=0, le=86_400)] = 0


class BreakBatch(WireModel):
    entries: Annotated[list[BreakEntry], Field(min_length=1, max_length=1000)]


class BreakResults(WireModel):
    accepted: Annotated[int, Field(ge=0)]
    duplicate: Annotated[int, Field(ge=0)]
    rejected: Annotated[int, Field(ge=0)] = 0


CapStatus = Literal["ok", "near", "over"]


class ReviewerExposure(WireModel):
    """One reviewer over the report's range. Caps are the reviewer's effective ones."""

    reviewer: Name
    teams: Annotated[list[Name], Field(max_length=32)] = []
    exposure_s: Annotated[float, Field(ge=0)]
    """Unprotected (revealed) seconds."""
    reveals: Annotated[int, Field(ge=0)]
    items_decided: Annotated[int, Field(ge=0)]
    breaks_due: Annotated[int, Field(ge=0)]
    breaks_taken: Annotated[int, Field(ge=0)]
    max_day_exposure_s: Annotated[float, Field(ge=0)]
    max_day_items: Annotated[int, Field(ge=0)]
    daily_reveal_seconds_cap: Annotated[int, Field(ge=0)]
    daily_item_cap: Annotated[int, Field(ge=0)]
    days_over_cap: Annotated[int, Field(ge=0)]
    days_near_cap: Annotated[int, Field(ge=0)]
    cap_status: CapStatus


class TeamExposure(WireModel):
    team: Name
    reviewers: Annotated[int, Field(ge=0)]
    exposure_s: Annotated[float, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    items_decided: Annotated[int, Field(ge=0)]
    breaks_due: Annotated[int, Field(ge=0)]
    breaks_taken: Annotated[int, Field(ge=0)]
    exposure_s_p50: Annotated[float, Field(ge=0)]
    exposure_s_p90: Annotated[float, Field(ge=0)]
    over_cap: Annotated[int, Field(ge=0)]
    near_cap: Annotated[int, Field(ge=0)]


class DayExposure(WireModel):
    """One day's totals, for all reviewers in the report (`team` None) or one team."""

    day: date
    team: Name | None = None
    exposure_s: Annotated[float, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    items_decided: Annotated[int, Field(ge=0)]
    breaks_due: Annotated[int, Field(ge=0)]
    breaks_taken: Annotated[int, Field(ge=0)]


class CategoryRevealRate(WireModel):
    """Reveal rate = items revealed / items decided, counting (reviewer, item) pairs."""

    category: Name
    severity: Severity
    items_decided: Annotated[int, Field(ge=0)]
    items_revealed: Annotated[int, Field(ge=0)]
    reveals: Annotated[int, Field(ge=0)]
    exposure_s: Annotated[float, Field(ge=0)]
    reveal_rate: Annotated[float, Field(ge=0)] | None = None


class WellnessSummary(WireModel):
    """The coordinator's report over `since`..`until` (calendar days in `time_zone`).
    p50/p90 are across the reviewers in the report (those with nothing count as 0),
    interpolated linearly between ranks (PostgreSQL's `percentile_cont`)."""

    time_zone: TimeZoneName
    since: date
    until: date
    team: Name | None = None
    near_cap_share: Annotated[float, Field(gt=0, le=1)]
    exposure_s_p50: Annotated[float, Field(ge=0)]
    exposure_s_p90: Annotated[float, Field(ge=0)]
    reviewers: Annotated[list[ReviewerExposure], Field(max_length=100_000)]
    teams: Annotated[list[TeamExposure], Field(max_length=10_000)]
    days: Annotated[list[DayExposure], Field(max_length=100_000)]
    categories: Annotated[list[CategoryRevealRate], Field(max_length=10_000)]


# --- policy layers: strictest wins -------------------------------------------------------
# What "stricter" means is part of the policy's contract: the server merges a reviewer's
# layers with it and the client tightens the result with the reviewer's preferences.
#
# Strictest wins: the wellness policy in force from its layers, and where each value comes from.
#
# Layers, loosest first: the built-in defaults; the `default` scope (it replaces built-in
# values, looser or stricter: it is the base the coordinator sets); then each team of the
# reviewer, the reviewer's own scope and the reviewer's preferences in the review window.
# Those later layers only ever tighten: a value of theirs counts only where it is stricter.
#
# "Stricter", field by field (`STRICTER`):
#
# | field | stricter is |
# |---|---|
# | blur_sigma_pct, severity3_blur_factor, break_length_minutes | higher |
# | reveal_timeout_s, max_reveals_per_item, daily_reveal_seconds_cap, daily_item_cap | lower |
# | greyscale, pixelate, mute_audio | on |
# | autoplay, reveal_enabled | off |
# | break_every_minutes | lower, but 0 (no breaks) is the loosest of all |
# | blur_by_severity | per severity, further up the ladder none < light < medium < heavy < warning |
# | categories | per category: blur further up the ladder, greyscale on, pixelate on |
#
# A layer is a mapping of the fields it sets (`WellnessPolicy.model_dump(exclude_unset=True)`):
# a team policy that sets only a cap says nothing about blur. Pure functions, no I/O.

BUILT_IN = "built-in"
DEFAULT_SCOPE = "default"
PREFERENCES = "preferences"

Stricter = Callable[[Any, Any], bool]
"""`stricter(new, current)`: True when `new` protects the reviewer more than `current`."""


def _higher(new: Any, current: Any) -> bool:
    return new > current


def _lower(new: Any, current: Any) -> bool:
    return new < current


def _on(new: bool, current: bool) -> bool:
    return new and not current


def _off(new: bool, current: bool) -> bool:
    return current and not new


def _more_breaks(new: int, current: int) -> bool:
    """More frequent breaks are stricter; 0 means no breaks at all, the loosest."""
    return new > 0 and (current == 0 or new < current)


STRICTER: dict[str, Stricter] = {
    "blur_sigma_pct": _higher,
    "severity3_blur_factor": _higher,
    "break_length_minutes": _higher,
    "reveal_timeout_s": _lower,
    "max_reveals_per_item": _lower,
    "daily_reveal_seconds_cap": _lower,
    "daily_item_cap": _lower,
    "greyscale": _on,
    "pixelate": _on,
    "mute_audio": _on,
    "autoplay": _off,
    "reveal_enabled": _off,
    "break_every_minutes": _more_breaks,
}
"""Scalar fields; `blur_by_severity` and `categories` are combined element by element."""
COMPOUND = ("blur_by_severity", "categories")


def stricter_level(new: str, current: str) -> bool:
    """True when blur level `new` is further up the ladder than `current`."""
    return BLUR_LEVELS.index(new) > BLUR_LEVELS.index(current)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PolicyLayer:
    """The fields one scope sets, e.g. `PolicyLayer("team:a", {"daily_item_cap": 300})`."""

    scope: str
    settings: Mapping[str, Any]

    @classmethod
    def of(cls, scope: str, policy: WellnessPolicy) -> PolicyLayer:
        """The layer of a policy that was validated from what the scope sets."""
        return cls(scope, policy.model_dump(exclude_unset=True))


@dataclass
class EffectivePolicyLayers:
    """A merged policy and, per value, the scope it comes from."""

    policy: WellnessPolicy
    sources: dict[str, str] = field(default_factory=dict)


def merge_policy_layers(default: PolicyLayer | None,
                        tighter: Sequence[PolicyLayer] = ()) -> EffectivePolicyLayers:
    """The policy in force: `default` over the built-in values, then strictest wins."""
    values = WellnessPolicy().model_dump()
    sources = _initial_sources(values)
    if default is not None:
        clean = WellnessPolicy.model_validate(default.settings).model_dump(
            include=set(default.settings))
        for name, value in clean.items():
            _replace(values, sources, name, value, default.scope)
    for layer in tighter:
        clean = WellnessPolicy.model_validate(layer.settings).model_dump(
            include=set(layer.settings))
        for name, value in clean.items():
            _tighten(values, sources, name, value, layer.scope)
    return EffectivePolicyLayers(WellnessPolicy.model_validate(values), sources)


def tighten_policy(policy: WellnessPolicy, preferences: WellnessPolicy,
            sources: Mapping[str, str] | None = None) -> EffectivePolicyLayers:
    """`policy` tightened by a reviewer's own preferences (only the fields they set)."""
    values = policy.model_dump()
    merged_sources = dict(sources) if sources else _initial_sources(values)
    for name, value in preferences.model_dump(exclude_unset=True).items():
        _tighten(values, merged_sources, name, value, PREFERENCES)
    return EffectivePolicyLayers(WellnessPolicy.model_validate(values), merged_sources)


def _initial_sources(values: dict[str, Any]) -> dict[str, str]:
    sources = {name: BUILT_IN for name in STRICTER}
    sources.update({f"blur_by_severity.{n}": BUILT_IN
                    for n in range(len(values["blur_by_severity"]))})
    return sources


def _replace(values: dict[str, Any], sources: dict[str, str], name: str, value: Any,
             scope: str) -> None:
    if name == "blur_by_severity":
        for n, level in enumerate(value):
            values[name][n] = level
            sources[f"{name}.{n}"] = scope
    elif name == "categories":
        values[name] = dict(value)
        for category in value:
            sources[f"categories.{category}"] = scope
    else:
        values[name] = value
        sources[name] = scope


def _tighten(values: dict[str, Any], sources: dict[str, str], name: str, value: Any,
             scope: str) -> None:
    if name == "blur_by_severity":
        for n, level in enumerate(value):
            if stricter_level(level, values[name][n]):
                values[name][n] = level
                sources[f"{name}.{n}"] = scope
    elif name == "categories":
        for category, rule in value.items():
            current = values[name].get(category)
            combined = _stricter_category(current, rule)
            if combined != current:
                values[name][category] = combined
                sources[f"categories.{category}"] = scope
    elif STRICTER[name](value, values[name]):
        values[name] = value
        sources[name] = scope


def _stricter_category(current: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Per category: the higher blur level, greyscale or pixelate if either asks for it."""
    base = current or CategoryProtection().model_dump()
    return {
        "blur": new["blur"] if stricter_level(new["blur"], base["blur"]) else base["blur"],
        "greyscale": base["greyscale"] or new["greyscale"],
        "pixelate": base["pixelate"] or new["pixelate"],
    }


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
    handle_ms: Annotated[int, Field(ge=0)] | None = None
    """decided_at - started_at, from the reviewer's own clock."""
    reveals: Annotated[int, Field(ge=0)] = 0
    """How many times the reviewer revealed the item before this decision."""
    gold_action: Name | None = None
    """The expected action when the item is a gold item (QA only; reviewers never see it)."""
    item: Item | None = None
    """The item as the reviewer got it, for the replay (None if it no longer exists)."""


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
