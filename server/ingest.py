"""Ingest files, directories and JSONL manifests into a queue, for `reviewer-server ingest`.

Each file is streamed (hashed and copied in 1 MiB chunks; only an image up to the media
cap is read whole, to make its preview), so memory stays bounded whatever the file's
size. Items are idempotent by content hash and by external id (`ingest_keys`): ingesting
the same thing twice reports it as already present. A refused file leaves nothing behind
in the media store; every outcome is counted in the summary with its reason.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reviewer.protocol import MAX_MEDIA_BYTES, MAX_TEXT_CHARS, MediaRef, Name, Severity
from server.db import Database
from server.media_store import MediaStore, MediaStoreError
from server.models import IngestKey, Item
from server.services.items import add_item, store_preview
from server.text_guard import has_control_characters

CHUNK = 1024 * 1024
_MAGIC = {  # the first bytes each accepted media type must start with
    "image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"), "image/webp": (b"RIFF",),
    "video/mp4": (b"",), "video/webm": (b"\x1a\x45\xdf\xa3",),
}


class Refused(Exception):
    """This source cannot be ingested; the message is the reason, `label` the source."""

    def __init__(self, reason: str, label: str = "") -> None:
        super().__init__(reason)
        self.label = label


class ManifestEntry(BaseModel):
    """One line of a JSONL manifest: a text item, or a media `file` relative to it."""

    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)] | None = None
    file: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    category: Name | None = None
    severity: Severity | None = None
    context: Annotated[dict[str, Annotated[str, Field(max_length=2000)]],
                       Field(max_length=32)] = {}
    external_id: Annotated[str, Field(min_length=1, max_length=150)] | None = None


@dataclass
class Source:
    label: str
    category: str
    severity: int
    context: dict[str, str]
    path: Path | None = None
    text: str | None = None
    external_id: str | None = None


@dataclass
class IngestSummary:
    added: list[tuple[str, str]] = field(default_factory=list)
    present: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _from_manifest(path: Path, category: str, severity: int) -> Iterator[Source | Refused]:
    with path.open(encoding="utf-8", errors="strict") as lines:
        for number, line in enumerate(lines, 1):
            label = f"{path.name}:{number}"
            if not line.strip():
                continue
            try:
                entry = ManifestEntry.model_validate_json(line)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "line"
                yield Refused(f"{where}: {first['msg']}", label)
                continue
            if (entry.text is None) == (entry.file is None):
                yield Refused("give either `text` or `file`", label)
                continue
            if has_control_characters(entry.model_dump()):
                yield Refused("control characters in the entry", label)
                continue
            yield Source(label, entry.category or category,
                         severity if entry.severity is None else entry.severity,
                         dict(entry.context), text=entry.text, external_id=entry.external_id,
                         path=(path.parent / entry.file) if entry.file else None)


def sources(paths: list[Path], category: str, severity: int) -> Iterator[Source | Refused]:
    """Files, files under directories (sorted, hidden ones skipped) and manifest lines."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()
                                and not any(part.startswith(".") for part in
                                            p.relative_to(path).parts)):
                yield from sources([child], category, severity)
        elif path.suffix.lower() == ".jsonl":
            try:
                yield from _from_manifest(path, category, severity)
            except (OSError, UnicodeDecodeError) as exc:
                yield Refused(f"cannot read the manifest ({type(exc).__name__})", str(path))
        else:
            yield Source(str(path), category, severity, {"source": path.name}, path=path)


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_TEXT_CHARS * 4:
        raise Refused(f"text files are limited to {MAX_TEXT_CHARS} characters")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Refused("not UTF-8 text") from None
    if not text.strip() or len(text) > MAX_TEXT_CHARS:
        raise Refused(f"a text item has 1 to {MAX_TEXT_CHARS} characters")
    if has_control_characters(text):
        raise Refused("control characters in the text")
    return text


def _stream_into(store: MediaStore, path: Path, mime: str) -> tuple[str, int, Path]:
    """Copy `path` to a temporary file in the store while hashing it; (sha256, bytes, tmp)."""
    size = path.stat().st_size
    if size == 0:
        raise Refused("the file is empty")
    if size > MAX_MEDIA_BYTES:
        raise Refused(f"media files are limited to {MAX_MEDIA_BYTES // (1024 * 1024)} MiB")
    store.staging_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=store.staging_dir, prefix=".ingest-", suffix=".tmp")
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as out:
            head = src.read(CHUNK)
            if not any(head.startswith(m) for m in _MAGIC[mime]) or (
                    mime == "video/mp4" and head[4:8] != b"ftyp"):
                raise Refused(f"the content is not {mime}")
            while head:
                digest.update(head)
                out.write(head)
                head = src.read(CHUNK)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, Path(tmp)


def _known(db: Database, keys: list[str]) -> str | None:
    with db.session() as session:
        return session.scalar(select(IngestKey.item_id).where(IngestKey.key.in_(keys)).limit(1))


def _orphan(db: Database, store: MediaStore, *refs: MediaRef | None) -> None:
    """Delete media files this ingest wrote that no item uses (a refused or failed write)."""
    with db.session() as session:
        for ref in refs:
            if ref is None:
                continue
            used = session.scalar(select(Item.id).where(
                (Item.media_sha256 == ref.sha256) | (Item.preview_sha256 == ref.sha256)).limit(1))
            if used is None:
                store.delete(ref.sha256)


def ingest_source(db: Database, store: MediaStore, queue: str, src: Source,
                  summary: IngestSummary) -> None:
    external = [f"external:{queue}:{src.external_id}"] if src.external_id else []
    if external and (found := _known(db, external)):
        summary.present.append((src.label, found))
        return
    media: MediaRef | None = None
    preview: MediaRef | None = None
    written = False
    try:
        kind, text = "text", src.text
        if src.path is not None:
            mime = mimetypes.guess_type(src.path.name)[0] or ""
            if mime.startswith("text/"):
                text = _read_text(src.path)
            elif mime in _MAGIC:
                kind = "video" if mime.startswith("video/") else "image"
                sha, size, tmp = _stream_into(store, src.path, mime)
                media = MediaRef(sha256=sha, mime=mime, bytes=size)
                if (found := _known(db, [f"sha256:{queue}:{sha}", *external])):
                    tmp.unlink(missing_ok=True)
                    summary.present.append((src.label, found))
                    return
                written = not store.exists(sha)
                image = tmp.read_bytes() if kind == "image" else None
                store.adopt(tmp, sha)
                if image is not None:
                    preview = store_preview(store, kind, image, mime)
            else:
                raise Refused(f"not a text, image or video file ({mime or 'unknown type'})")
        content = media.sha256 if media else hashlib.sha256((text or "").encode()).hexdigest()
        keys = [f"sha256:{queue}:{content}", *external]
        if media is None and (found := _known(db, keys)):
            summary.present.append((src.label, found))
            return
        with db.writer() as session:
            item = add_item(session, queue=queue, kind=kind, category=src.category,
                            severity=src.severity, text=text, media=media, preview=preview,
                            context=src.context)
            session.add_all(IngestKey(key=key, item_id=item.id) for key in keys)
        summary.added.append((src.label, item.id))
    except Refused as exc:
        summary.refused.append((src.label, str(exc)))
    except MediaStoreError as exc:
        summary.refused.append((src.label, str(exc)))
    except OSError as exc:
        summary.refused.append((src.label, f"cannot read it ({exc.strerror or exc})"))
    except IntegrityError:
        summary.refused.append((src.label, "ingested at the same time by another run"))
        if written:
            _orphan(db, store, media, preview)
    except BaseException:
        if written:
            _orphan(db, store, media, preview)
        raise

