"""People, queues, items, leases and decisions: what review runs on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow


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
    __table_args__ = (
        Index("ix_items_queue_state", "queue", "state"),
        # The claim's walk: a queue's unshared pending items, oldest first; it stops after
        # the live leases' items at the front (without it, every claim sorted the queue).
        Index("ix_items_claim", "queue", "created_at", "id",
              postgresql_where=text("state = 'pending' AND share IS NULL"),
              sqlite_where=text("state = 'pending' AND share IS NULL")),
    )
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
    lease_id: Mapped[str] = mapped_column(String(64), index=True)
    """Indexed: renewals and repeated lease requests look up the decisions under a lease."""
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
