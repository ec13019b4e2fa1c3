"""`seed_demo`: synthetic users, queues and items for the demo and for tests. Idempotent:
running it again adds only what is missing (and resets passwords only when given).

"small" makes every user, queue, text item and broken case with low-resolution images
only (many tests seed it: it must stay quick); "full" (the demo) makes the same items with
phone-sized images and adds camera photos up to 12 megapixels (JPEG and PNG, some with an
EXIF orientation). Texts are multilingual posts of realistic length. Ordinary images get
a preview as at ingest (large ones only); the broken cases never do, since they exist to
test the client's "cannot display" path on the original.
"""

from __future__ import annotations

import functools
import secrets
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

from reviewer.protocol import MediaRef
from server.accounts import set_password
from server.config import default_db_url
from server.db import Database
from server.demo_scenes import describe_scene, encode_scene, scene_image
from server.demo_texts import language_for, synthetic_post
from server.media_gen import (
    decompression_bomb_png,
    encode,
    not_an_image,
    synthetic_image,
    tampered,
    truncated_jpeg,
)
from server.media_store import MediaStore, open_media_store
from server.models import Item, QueueRoute, User, utcnow
from server.security import hash_password
from server.seed_content import (
    BROKEN_DESCRIPTIONS,
    BROKEN_KINDS,
    BROKEN_POSITIONS,
    BROKEN_QUEUE,
    PHONE_SIZES,
    QUEUES,
    SMALL_SIZES,
    USERS,
    ImageSize,
    QueuePlan,
    report_reason,
    sla_offset_minutes,
    taxonomy,
    text_description,
    text_length,
)
from server.services.items import add_item, ensure_queue, store_preview

Scale = Literal["full", "small"]


@dataclass
class SeedSummary:
    passwords: dict[str, str] = field(default_factory=dict)
    """Passwords set by this run (new users, or those passed in); others are unchanged."""
    queues: list[str] = field(default_factory=list)
    items_created: int = 0
    items_total: int = 0
    broken: dict[str, str] = field(default_factory=dict)
    """Broken case kind (truncated, bomb, mime, hash) -> item id."""
    escalation_queue: str | None = None
    """The queue the demo queues escalate to (not in `queues`: it starts empty)."""


def _seed_users(db: Database, db_url: str, passwords: dict[str, str] | None,
                summary: SeedSummary) -> None:
    for username, (roles, teams) in USERS.items():
        given = (passwords or {}).get(username)
        with db.session() as session:
            exists = session.get(User, username) is not None
        if not exists:
            password = given or secrets.token_urlsafe(12)
            hashed = hash_password(password)  # slow on purpose: outside the transaction
            with db.writer() as session:
                exists = session.get(User, username) is not None
                if not exists:
                    session.add(User(username=username, password_hash=hashed, roles=roles,
                                     teams=teams))
                    summary.passwords[username] = password
        if exists and given:
            set_password(db_url, username, given)
            summary.passwords[username] = given


CACHED_PIXELS = 1_000_000
"""Pictures up to this size are kept in memory once made (a few MB in all): the test
suite seeds many servers in one process, always with the same small pictures."""


@functools.lru_cache(maxsize=64)
def _small_picture(size: ImageSize, seed: int, caption: str) -> bytes:
    """The file of a small picture, made once per process."""
    return encode_scene(scene_image(size[0], size[1], seed, caption), size[2], size[3])


def _picture(size: ImageSize, seed: int, caption: str) -> bytes:
    width, height, fmt, orientation = size
    if width * height <= CACHED_PIXELS:
        return _small_picture(size, seed, caption)
    return encode_scene(scene_image(width, height, seed, caption), fmt, orientation)


def _image(store: MediaStore, size: ImageSize, seed: int,
           caption: str) -> tuple[MediaRef, MediaRef | None]:
    """The stored image and its stored preview (None when it is small)."""
    data = _picture(size, seed, caption)
    mime = "image/jpeg" if size[2] == "JPEG" else "image/png"
    media = MediaRef(sha256=store.put(data), mime=mime, bytes=len(data))
    return media, store_preview(store, "image", data, mime)


def _broken_media(store: MediaStore, kind: str, seed: int) -> MediaRef:
    if kind == "truncated":
        data = truncated_jpeg(seed)
        return MediaRef(sha256=store.put(data), mime="image/jpeg", bytes=len(data))
    if kind == "bomb":
        data = decompression_bomb_png()
        return MediaRef(sha256=store.put(data), mime="image/png", bytes=len(data))
    if kind == "mime":
        data = not_an_image()
        return MediaRef(sha256=store.put(data), mime="image/jpeg", bytes=len(data))
    original = encode(synthetic_image(320, 240, seed, "hash mismatch"), "JPEG")
    ref = MediaRef(sha256=MediaStore.sha256(original), mime="image/jpeg", bytes=len(original))
    store.write_raw(ref.sha256, tampered(original))
    return ref


def _plan_items(plan: QueuePlan, scale: Scale) -> list[tuple[str, dict[str, object]]]:
    """(item id, spec) in queue order; spec says what to make."""
    specs: list[dict[str, object]] = []
    images = round(plan.count * plan.image_share)
    sizes = SMALL_SIZES if scale == "small" else PHONE_SIZES
    for n in range(plan.count):
        spec: dict[str, object] = {"n": n, "category": plan.categories[n % len(plan.categories)],
                                   "severity": n % 4}
        if n % max(1, round(plan.count / max(images, 1))) == 0 and images > 0:
            spec.update(image=sizes[n % len(sizes)])
        specs.append(spec)
    if scale == "full":
        for i, size in enumerate(plan.big_images):
            specs.append({"n": plan.count + i, "category": plan.categories[i % 3],
                          "severity": 1 + i % 3, "image": size, "big": True})
    if plan.name == BROKEN_QUEUE:
        for kind, position in zip(BROKEN_KINDS, BROKEN_POSITIONS, strict=True):
            specs.insert(position, {"n": 900 + position, "category": plan.categories[0],
                                    "severity": 2, "broken": kind})
    return [(f"{plan.prefix}-{spec.get('broken') or ''}{int(spec['n']):03d}", spec)  # type: ignore[call-overload]
            for spec in specs]


def _item_fields(store: MediaStore, plan: QueuePlan, spec: dict[str, object]
                 ) -> dict[str, Any]:
    """The new item's fields; makes and stores its media (the slow part, so it runs
    before any transaction opens)."""
    n, category = int(spec["n"]), str(spec["category"])  # type: ignore[call-overload]
    context = {"source": "synthetic demo", "author": f"user_{1000 + n}",
               "report_reason": report_reason(category, n)}
    text, media, preview, kind, broken = None, None, None, "text", spec.get("broken")
    if broken:  # never a preview: the client must meet the broken original
        kind, media = "image", _broken_media(store, str(broken), n)
        context["test_case"] = f"broken:{broken}"
        context["description"] = BROKEN_DESCRIPTIONS[str(broken)]
    elif "image" in spec:
        size: ImageSize = spec["image"]  # type: ignore[assignment]
        kind, seed = "image", zlib.crc32(f"{plan.name}:{n}".encode())
        width, height, fmt, orientation = size
        media, preview = _image(store, size, seed=seed,
                                caption=f"{plan.name} #{n} ({width}x{height})")
        turned = f", EXIF orientation {orientation}" if orientation != 1 else ""
        context["description"] = f"{describe_scene(seed)}; {width}x{height} {fmt}{turned}"
    else:
        language = language_for(n + len(plan.name))  # queues start at different languages
        text = synthetic_post(zlib.crc32(f"{plan.name}:{n}".encode()), language,
                              promo=plan.name == "spam", min_chars=text_length(n))
        context["language"] = language.code
        context["description"] = text_description(language.name, language.script,
                                                  language.rtl, len(text))
    return {"queue": plan.name, "kind": kind, "category": category,
            "severity": int(spec["severity"]), "text": text, "media": media,  # type: ignore[call-overload]
            "preview": preview, "context": context}


def _seed_queue(db: Database, store: MediaStore, plan: QueuePlan, scale: Scale,
                summary: SeedSummary, base: datetime) -> None:
    with db.writer() as session:
        ensure_queue(session, plan.name, title=plan.title, sensitivity=plan.sensitivity,
                     taxonomy=plan.taxonomy)
    planned = _plan_items(plan, scale)
    with db.session() as session:
        existing = set(session.scalars(
            select(Item.id).where(Item.id.in_([item_id for item_id, _ in planned]))))
    for order, (item_id, spec) in enumerate(planned):
        summary.items_total += 1
        if spec.get("broken"):
            summary.broken[str(spec["broken"])] = item_id
        if item_id in existing:
            continue
        fields = _item_fields(store, plan, spec)
        created_at = base + timedelta(seconds=order)
        sla_due = created_at + timedelta(minutes=sla_offset_minutes(int(spec["n"])))  # type: ignore[call-overload]
        with db.writer() as session:
            if session.get(Item, item_id) is None:  # a concurrent seeding may have added it
                add_item(session, item_id=item_id, created_at=created_at, sla_due=sla_due,
                         **fields)
                summary.items_created += 1


ESCALATION_QUEUE = "senior-review"
"""Named to sort after the first demo queue: the queue picker opens on its first row, and
a plain reviewer cannot lease this one."""
ESCALATION_TAXONOMY = taxonomy(
    [("approve", "Approve"), ("remove", "Remove"), ("age_restrict", "Age-restrict"),
     ("limit_reach", "Limit reach")],
    [("policy_gap", "Policy gap"), ("legal_review", "Needs legal review"),
     ("newsworthy", "Newsworthy")])


def _seed_escalation_tier(db: Database, summary: SeedSummary) -> None:
    """The second tier: every demo queue escalates to `senior-review` (seniors lease it),
    unless an admin already routed it elsewhere."""
    with db.writer() as session:
        ensure_queue(session, ESCALATION_QUEUE, title="Escalations (senior review)",
                     sensitivity=3, taxonomy=ESCALATION_TAXONOMY)
        for plan in QUEUES:
            if session.get(QueueRoute, plan.name) is None:
                session.add(QueueRoute(queue=plan.name, escalation_queue=ESCALATION_QUEUE))
    summary.escalation_queue = ESCALATION_QUEUE


def seed_demo(db_url: str | None, data_dir: Path, *, passwords: dict[str, str] | None = None,
              scale: Scale = "full", media_url: str | None = None,
              s3_endpoint_url: str | None = None) -> SeedSummary:
    """Create the demo users, queues and synthetic items that are missing (media in
    data_dir/media, or in the bucket of `media_url`)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or default_db_url(data_dir)
    db = Database(db_url, strict=True)
    summary = SeedSummary()
    # Items are "created" in the two hours before seeding, so some SLAs are already
    # overdue, most are hours away; queue order follows the plan's order.
    base = (utcnow() - timedelta(hours=2)).replace(microsecond=0)
    try:
        db.create_schema()
        store = open_media_store(media_url, data_dir, endpoint_url=s3_endpoint_url)
        _seed_users(db, db_url, passwords, summary)
        for plan in QUEUES:
            _seed_queue(db, store, plan, scale, summary, base)
            summary.queues.append(plan.name)
        _seed_escalation_tier(db, summary)
    finally:
        db.dispose()
    return summary
