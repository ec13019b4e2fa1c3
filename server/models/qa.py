"""QA verdicts and gold items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow


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
