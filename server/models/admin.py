"""Administration: the audit log, queue teams and routes, ingest keys, webhooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow


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
