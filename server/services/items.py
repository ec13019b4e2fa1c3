"""Queues and items: creation (admin ingest, CLI, seeding) and the wire form of an item.

Every path that creates an image item from bytes makes its preview with `store_preview`,
before its write transaction opens.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from reviewer.protocol import Item as WireItem
from reviewer.protocol import ItemCreate, ItemCreated, MediaRef, Taxonomy
from server.db import Database
from server.errors import ApiError
from server.media_store import MediaStore
from server.models import Item, Queue, utcnow
from server.renditions import PREVIEW_MIME, make_preview
from server.services.taxonomy import DEFAULT_TAXONOMY


def item_to_wire(item: Item) -> WireItem:
    media = None
    if item.media_sha256:
        media = MediaRef(sha256=item.media_sha256, mime=item.mime or "application/octet-stream",
                         bytes=item.media_bytes or 0)
    preview = None
    if item.preview_sha256:
        preview = MediaRef(sha256=item.preview_sha256, mime=PREVIEW_MIME,
                           bytes=item.preview_bytes or 0)
    return WireItem(
        id=item.id, queue=item.queue, kind=item.kind, text=item.text, media=media,  # type: ignore[arg-type]
        preview=preview,
        category=item.category, severity=item.severity, context=item.context,
        created_at=item.created_at, sla_due=item.sla_due,
    )


def ensure_queue(session: Session, name: str, *, title: str | None = None,
                 sensitivity: int = 0, taxonomy: dict[str, Any] | None = None) -> Queue:
    """The queue named `name`, created with the given (or default) taxonomy if missing."""
    queue = session.get(Queue, name)
    if queue is None:
        checked = Taxonomy.model_validate(taxonomy or DEFAULT_TAXONOMY).model_dump()
        queue = Queue(name=name, title=title or name, sensitivity=sensitivity, taxonomy=checked)
        session.add(queue)
        session.flush()
    return queue


def _decode_media(body: ItemCreate) -> bytes | None:
    if body.media_base64 is None:
        return None
    try:
        return base64.b64decode(body.media_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(422, "validation_error", "media_base64 is not valid base64.") from exc


def _check_shape(body: ItemCreate, data: bytes | None) -> None:
    if body.kind == "text" and not body.text:
        raise ApiError(422, "validation_error", "A text item needs `text`.")
    if body.kind != "text" and data is None:
        raise ApiError(422, "validation_error", f"An {body.kind} item needs `media_base64`.")
    if data is not None and not body.mime:
        raise ApiError(422, "validation_error", "Media needs a `mime` type.")
    if body.mime is not None:
        MediaRef(sha256="0" * 64, mime=body.mime, bytes=0)  # same pattern as the wire form


def store_preview(store: MediaStore, kind: str, data: bytes | None,
                  mime: str | None) -> MediaRef | None:
    """Make and store the preview of an image item's media, if it gets one. CPU work
    (decode, shrink, encode): call it before any write transaction opens."""
    if kind != "image" or data is None or not mime:
        return None
    preview = make_preview(data, mime)
    if preview is None:
        return None
    return MediaRef(sha256=store.put(preview), mime=PREVIEW_MIME, bytes=len(preview))


def add_item(session: Session, *, queue: str, kind: str, category: str, severity: int = 0,
             text: str | None = None, media: MediaRef | None = None,
             preview: MediaRef | None = None,
             context: dict[str, str] | None = None, sla_due: datetime | None = None,
             item_id: str | None = None, created_at: datetime | None = None) -> Item:
    """Add a pending item whose media and preview (if any) are already in the media store."""
    item = Item(
        id=item_id or f"{queue}-{secrets.token_hex(6)}", queue=queue, kind=kind, text=text,
        media_sha256=media.sha256 if media else None, mime=media.mime if media else None,
        media_bytes=media.bytes if media else None,
        preview_sha256=preview.sha256 if preview else None,
        preview_bytes=preview.bytes if preview else None, category=category, severity=severity,
        context=dict(context or {}), sla_due=sla_due, created_at=created_at or utcnow(),
        state="pending",
    )
    session.add(item)
    session.flush()
    return item


def _queue_exists(session: Session, name: str) -> None:
    if session.get(Queue, name) is None:
        raise ApiError(404, "unknown_queue", f"There is no queue named {name!r}.")


def ingest_item(db: Database, store: MediaStore, body: ItemCreate) -> ItemCreated:
    """Check, write the media file and its preview (content-addressed, outside any
    transaction: a concurrent or failed ingest leaves at most unreferenced files), then
    insert the item in a short write transaction."""
    with db.session() as session:
        _queue_exists(session, body.queue)
    data = _decode_media(body)
    try:
        _check_shape(body, data)
    except ValueError as exc:
        raise ApiError(422, "validation_error", "mime is not a valid MIME type.") from exc
    media = None
    if data is not None:
        media = MediaRef(sha256=store.put(data), mime=body.mime or "", bytes=len(data))
    preview = store_preview(store, body.kind, data, body.mime)
    with db.writer() as session:
        _queue_exists(session, body.queue)
        item = add_item(session, queue=body.queue, kind=body.kind, category=body.category,
                        severity=body.severity, text=body.text, media=media,
                        preview=preview, context=dict(body.context), sla_due=body.sla_due)
    return ItemCreated(id=item.id, media=media, preview=preview)
