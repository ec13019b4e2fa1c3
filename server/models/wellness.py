"""Exposure and wellness policies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow


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
