"""Shared ground of the wire: limits, name and text types, the base model, errors."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"

Role = Literal["reviewer", "qa_lead", "wellness", "admin", "senior"]
ROLES: tuple[Role, ...] = ("reviewer", "qa_lead", "wellness", "admin", "senior")
"""`senior`: may lease from escalation queues (the second tier), as may `qa_lead`."""
ItemKind = Literal["image", "text", "video"]
DecisionStatus = Literal["accepted", "duplicate", "late", "rejected"]
EventType = Literal["shown", "reveal_start", "reveal_end", "undo", "decided", "note", "skipped"]
RevealMode = Literal["hold", "toggle", "region"]

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
