"""Tables of the local store at the current schema (SQLAlchemy 2.0 declarative, SQLite).

Protocol models are kept whole as JSON text (`model_dump_json`), next to the few
columns we filter or sort on, so the store never drifts from the wire protocol. Times
are stored as naive UTC and handed back timezone-aware (UTC).

A new store is created from these classes; an older one reaches the same tables through
`offline_cache.migrations`, whose SQL is frozen. Change a table here only together with
a new migration there (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite keeps no time zone)."""

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


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PolicyRow(Base):
    """The last policy the server sent; one row (id 1)."""

    __tablename__ = "policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_json: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class LeaseRow(Base):
    """A lease held by a reviewer; `seq` orders leases as they were taken."""

    __tablename__ = "leases"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lease_id: Mapped[str] = mapped_column(String(64), unique=True)
    queue: Mapped[str] = mapped_column(String(64), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taxonomy_json: Mapped[str] = mapped_column(Text)


class ItemRow(Base):
    """A leased item and where the reviewer is with it."""

    __tablename__ = "items"

    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lease_id: Mapped[str] = mapped_column(
        ForeignKey("leases.lease_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    queue: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="undecided")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    media_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    """The media shown for the item (its preview, else the original): what the vault holds."""
    item_json: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_items_queue_user_state", "queue", "username", "state"),)


class OutboxRow(Base):
    """A decision waiting for (or answered by) the server; `seq` is arrival order."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String(36), unique=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    queue: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    decision_json: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class LedgerRow(Base):
    """One reveal in the exposure ledger; `synced` once the server has it."""

    __tablename__ = "exposure_ledger"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(36), unique=True)
    username: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)
    synced: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    entry_json: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_ledger_user_started", "username", "started_at"),
        Index("ix_ledger_user_item", "username", "item_id"),
    )



class VerdictRow(Base):
    """A QA lead's verdict waiting for (or answered by) the server (schema 2); keyed by
    `verdict_id`, `seq` is arrival order, as in the decision outbox."""

    __tablename__ = "verdict_outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    verdict_id: Mapped[str] = mapped_column(String(36), unique=True)
    decision_id: Mapped[str] = mapped_column(String(36), index=True)
    username: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    verdict_json: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_verdict_outbox_user_status", "username", "status"),)


class BreakRow(Base):
    """A break the schedule asked for and how long the reviewer took (schema 3); `synced`
    once the server has it (`POST /breaks`, idempotent by `break_id`)."""

    __tablename__ = "break_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    break_id: Mapped[str] = mapped_column(String(36), unique=True)
    username: Mapped[str] = mapped_column(String(64))
    entry_json: Mapped[str] = mapped_column(Text)
    synced: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_break_log_user_synced", "username", "synced"),)
