"""Login throttling's moving windows, one row per limit and key, shared by every server
process on the database (server.throttle_storage)."""

from __future__ import annotations

from sqlalchemy import JSON, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class ThrottleWindow(Base):
    """The newest hits of one rate limit for one name or address."""

    __tablename__ = "throttle_windows"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    """The `limits` key (`LIMITER/user:alice/5/5/minute`), hashed when longer than fits."""
    hits: Mapped[list[float]] = mapped_column(JSON)
    """Times of the hits still in the window (`time.time()` seconds, as the `limits` library
    counts), newest first; never more than the limit's amount."""
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    """When the newest hit leaves the window; past it the row counts nothing and is deleted."""
