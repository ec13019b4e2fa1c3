"""Database tables (SQLAlchemy 2.0 declarative, `Mapped[]`). Storage only: no rules here.

Timestamps are stored as naive UTC (SQLite has no time zone type) and handed back aware.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
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


class DecisionRecord(Base):
    __tablename__ = "decisions"
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


class PolicyRecord(Base):
    """A wellness policy for a scope: `default`, `team:<name>` or `user:<name>`."""

    __tablename__ = "wellness_policies"
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    policy: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


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
