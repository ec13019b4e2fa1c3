"""The wellness console's records: policy changes, breaks and the report's kept daily figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow
from server.models.review import DecisionRecord
from server.models.wellness import ExposureRecord


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
