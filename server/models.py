"""Database tables (SQLAlchemy 2.0 declarative, `Mapped[]`). Storage only: no rules here.

Timestamps are stored as naive UTC (SQLite has no time zone type) and handed back aware.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class User(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]]
    teams: Mapped[list[str]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]
    """Set while the user is disabled: their tokens are refused and logins fail."""


class AccessToken(Base):
    """An opaque bearer token, stored only as its sha256."""

    __tablename__ = "access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    expires_at: Mapped[datetime]


class Queue(Base):
    __tablename__ = "queues"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    sensitivity: Mapped[int] = mapped_column(Integer, default=0)
    taxonomy: Mapped[dict[str, Any]]
    """The queue's own actions and labels, as `reviewer.protocol.Taxonomy` JSON."""
    gold_rate: Mapped[float | None]
    """Share of each reviewer's leased items that are gold items (None: no gold)."""
    overlap_rate: Mapped[float | None]
    """Share of new items that go to `overlap_k` different reviewers (None: none)."""
    overlap_k: Mapped[int | None]


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (Index("ix_items_queue_state", "queue", "state"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    queue: Mapped[str] = mapped_column(ForeignKey("queues.name"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    media_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    mime: Mapped[str | None] = mapped_column(String(100))
    media_bytes: Mapped[int | None]
    preview_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    """The display rendition (`server.renditions`), a JPEG; None for small or unreadable
    images and for other kinds."""
    preview_bytes: Mapped[int | None]
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[int] = mapped_column(Integer, default=0)
    context: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sla_due: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    """`pending` (in the queue, maybe leased) or `decided`."""
    lease_id: Mapped[str | None] = mapped_column(String(64), index=True)
    lease_expires_at: Mapped[datetime | None]
    share: Mapped[str | None] = mapped_column(String(16), index=True)
    """None: leased to one reviewer at a time through `lease_id`. `gold` or `overlap`: leased
    to many reviewers, each through a `LeaseItem` with the same share (never `lease_id`).
    A gold item's `state` is `gold`: it has left the ordinary queue."""
    overlap_k: Mapped[int | None]
    """For an overlap item: how many distinct reviewers decide it before it is done."""
    escalated_from: Mapped[str | None] = mapped_column(String(64), index=True)  # see
    escalation_decision: Mapped[str | None] = mapped_column(String(36))  # services.escalation


class Lease(Base):
    __tablename__ = "leases"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    queue: Mapped[str] = mapped_column(ForeignKey("queues.name"))
    reviewer: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    released_at: Mapped[datetime | None]
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)
    """The client's id for the request that made this lease: a repeat returns it."""


class LeaseItem(Base):
    """Which items a lease ever held: kept after release so late decisions can be judged."""

    __tablename__ = "lease_items"
    lease_id: Mapped[str] = mapped_column(ForeignKey("leases.id"), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    share: Mapped[str | None] = mapped_column(String(16))
    """`gold` or `overlap`: this row is the reviewer's own assignment of a shared item, live
    while its lease is live. None: the item's `lease_id` says who holds it."""


class DecisionRecord(Base):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_decided_at_id", "decided_at", "decision_id"),)
    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    lease_id: Mapped[str] = mapped_column(String(64))
    reviewer: Mapped[str] = mapped_column(String(64), index=True)
    queue: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64))
    labels: Mapped[list[str]]
    note: Mapped[str | None] = mapped_column(Text)
    supersedes: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16))
    """`accepted` or `late`; rejected decisions are answered, never stored."""
    started_at: Mapped[datetime]
    decided_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    events: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    client: Mapped[str] = mapped_column(String(100), default="")
    handle_ms: Mapped[int | None]
    """decided_at - started_at in ms, kept so the QA report can take percentiles in SQL."""
    reveals: Mapped[int | None]
    """The decision's reveal_start events, kept so the QA report can count in SQL."""


class ExposureRecord(Base):
    __tablename__ = "exposure"
    entry_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reviewer: Mapped[str] = mapped_column(String(64), index=True)
    item_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[int]
    mode: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    duration_ms: Mapped[int]
    received_at: Mapped[datetime | None] = mapped_column(index=True)
    """When the server accepted the entry (the other times are the client's)."""
    area: Mapped[float | None]
    """A region reveal's share of the item (its time weighs that much); None: all of it."""


class PolicyRecord(Base):
    """A wellness policy for a scope: `default`, `team:<name>` or `user:<name>`."""

    __tablename__ = "wellness_policies"
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    policy: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class VerdictRecord(Base):
    __tablename__ = "qa_verdicts"
    verdict_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decisions.decision_id"), index=True)
    qa_lead: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    labels: Mapped[list[str]]
    blind: Mapped[bool]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoldItem(Base):
    """An item with a known answer, mixed into reviewers' leases to measure accuracy."""

    __tablename__ = "gold_items"
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    queue: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64))
    marked_by: Mapped[str] = mapped_column(String(64))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyChangeRecord(Base):
    """The audit trail of wellness policies: who changed which scope, from what to what.
    `before`/`after` hold the fields the scope sets; None when no policy was stored."""

    __tablename__ = "wellness_policy_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    who: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(80), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BreakRecord(Base):
    """A break the client's schedule asked for, and how long the reviewer took."""

    __tablename__ = "wellness_breaks"
    break_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reviewer: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    taken_seconds: Mapped[int]
    required_seconds: Mapped[int]
    """The break length the reviewer's policy asked for when the server received it."""
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    __table_args__ = (Index("ix_wellness_breaks_due", "due_at", "reviewer"),)


class WellnessDayRecord(Base):
    """The wellness report's figures of one reviewer on one local day (a cache of the
    exposure, decisions and breaks tables, see `server.services.wellness_rollup`)."""

    __tablename__ = "wellness_days"
    time_zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reviewer: Mapped[str] = mapped_column(String(64), primary_key=True)
    exposure_ms: Mapped[int] = mapped_column(BigInteger)
    reveals: Mapped[int]
    items_decided: Mapped[int]
    breaks_due: Mapped[int]
    breaks_taken: Mapped[int]


class WellnessCategoryDayRecord(Base):
    """The report's figures of one category and severity on one local day, all reviewers."""

    __tablename__ = "wellness_category_days"
    time_zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    severity: Mapped[int] = mapped_column(Integer, primary_key=True)
    items_decided: Mapped[int]
    items_revealed: Mapped[int]
    reveals: Mapped[int]
    exposure_ms: Mapped[int] = mapped_column(BigInteger)


class WellnessRollupRecord(Base):
    """When the cached figures of a local day were computed."""

    __tablename__ = "wellness_rollup"
    time_zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    computed_at: Mapped[datetime]


# The wellness report reads exposure and decisions by time range; on PostgreSQL these
# indexes cover its queries (index-only scans).
Index("ix_exposure_started_reviewer", ExposureRecord.started_at, ExposureRecord.reviewer,
      postgresql_include=["item_id", "duration_ms", "category", "severity"])
Index("ix_decisions_decided_reviewer", DecisionRecord.decided_at, DecisionRecord.reviewer,
      postgresql_include=["item_id"])


class AuditEvent(Base):
    """Who did what, when, from where, with what outcome: never content, notes or secrets."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(100), default="")
    """The client address for requests, `cli` for administration commands."""
    outcome: Mapped[str] = mapped_column(String(32))
    """An HTTP status (`200`, `401`, ...) or `ok` / `refused` for commands."""


class QueueTeam(Base):
    """A team allowed to lease a queue; a queue without rows here is open to every reviewer."""

    __tablename__ = "queue_teams"
    queue: Mapped[str] = mapped_column(ForeignKey("queues.name"), primary_key=True)
    team: Mapped[str] = mapped_column(String(64), primary_key=True)


class QueueRoute(Base):
    """Where a queue's escalated items are meant to go (`queue set --escalation-queue`)."""

    __tablename__ = "queue_routes"
    queue: Mapped[str] = mapped_column(ForeignKey("queues.name"), primary_key=True)
    escalation_queue: Mapped[str] = mapped_column(ForeignKey("queues.name"))


class IngestKey(Base):
    """What made an ingested item unique: `sha256:<queue>:<content hash>` and, when the
    manifest gave one, `external:<queue>:<id>`; a second ingest of either finds it here."""

    __tablename__ = "ingest_keys"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)


class QueueWebhook(Base):
    """Where a queue's final decisions are POSTed, and the HMAC key that signs them."""

    __tablename__ = "queue_webhooks"
    queue: Mapped[str] = mapped_column(ForeignKey("queues.name"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One decision to deliver (at least once) to its queue's webhook, with its retries."""

    __tablename__ = "webhook_deliveries"
    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    queue: Mapped[str] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]
    last_outcome: Mapped[str] = mapped_column(String(100), default="")
