"""Queues, taxonomies, items and their media."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from reviewer.protocol.base import (
    MAX_MEDIA_BYTES,
    MAX_TEXT_CHARS,
    ItemKind,
    Name,
    Severity,
    Sha256,
    ShortcutKey,
    Title,
    WireModel,
)


class TaxonomyEntry(WireModel):
    id: Name
    title: Title
    key: ShortcutKey | None = None


class Taxonomy(WireModel):
    actions: Annotated[list[TaxonomyEntry], Field(min_length=1, max_length=12)]
    labels: Annotated[list[TaxonomyEntry], Field(max_length=50)] = []


class QueuePublic(WireModel):
    name: Name
    title: Title
    pending: Annotated[int, Field(ge=0)]
    sensitivity: Severity


class QueuesReply(WireModel):
    data: Annotated[list[QueuePublic], Field(max_length=1000)]
    count: Annotated[int, Field(ge=0)]


class MediaRef(WireModel):
    sha256: Sha256
    mime: Annotated[str, Field(min_length=3, max_length=100, pattern=r"^[a-z]+/[a-z0-9.+\-]+$")]
    bytes: Annotated[int, Field(ge=0, le=MAX_MEDIA_BYTES)]


class Item(WireModel):
    id: Name
    queue: Name
    kind: ItemKind
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    media: MediaRef | None = None
    preview: MediaRef | None = None
    """The display rendition of an image the server made at ingest: a JPEG, upright, its
    long edge at most `PREVIEW_EDGE`, no metadata. Absent for small images and for
    media the server could not read. The client downloads and shows it instead of
    `media`; `media` stays the original, served under the same rules."""
    category: Name
    severity: Severity
    context: Annotated[dict[str, Annotated[str, Field(max_length=2000)]], Field(max_length=32)] = {}
    created_at: datetime
    sla_due: datetime | None = None


class ItemCreate(WireModel):
    """Admin ingest of one item. Media travels base64-encoded, at most MAX_MEDIA_BYTES."""

    queue: Name
    kind: ItemKind
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    media_base64: Annotated[str, Field(max_length=(MAX_MEDIA_BYTES * 4) // 3 + 4)] | None = None
    mime: Annotated[str, Field(max_length=100)] | None = None
    category: Name
    severity: Severity = 0
    context: Annotated[dict[str, Annotated[str, Field(max_length=2000)]], Field(max_length=32)] = {}
    sla_due: datetime | None = None


class ItemCreated(WireModel):
    id: Name
    media: MediaRef | None = None
    preview: MediaRef | None = None


def display_media(item: Item) -> MediaRef | None:
    """The media a reviewer's screen shows for `item`: its preview when it has one."""
    return item.preview or item.media
