"""The client downloads, caches and shows an image's server-made preview, not the original."""

from __future__ import annotations

import base64
import hashlib
import io

import httpx
from PIL import Image, ImageDraw
from reviewer_helpers import PASSWORDS

from reviewer.protocol import PREVIEW_EDGE, WellnessPolicy
from wellness.protect import prepare_image

QUEUE = "large-photos"


def _photo_12mp(seed: int) -> bytes:
    img = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(img)
    draw.ellipse((600 + seed * 40, 500, 2600, 2400), fill=(200, 40 + seed, 90))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _ingest(server, data: bytes, n: int) -> dict:
    with httpx.Client(base_url=server.url + "/api/v1", timeout=60) as client:
        token = client.post("/auth/token", json={"username": "admin",
                                                 "password": PASSWORDS["admin"]})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        reply = client.post("/items", headers=headers, json={
            "queue": QUEUE, "kind": "image", "mime": "image/jpeg", "category": "spam",
            "media_base64": base64.b64encode(data).decode(), "severity": 1,
            "context": {"description": f"large photo {n}"}})
        reply.raise_for_status()
        return reply.json()


def _make_queue(db_url: str) -> None:
    from server.db import Database
    from server.services.items import ensure_queue

    database = Database(db_url)
    try:
        with database.writer() as session:
            ensure_queue(session, QUEUE, title="Large photos", sensitivity=1)
    finally:
        database.dispose()


def test_large_image_is_fetched_and_shown_as_its_preview(demo_ws, seeded_server, server_dirs):
    _make_queue(server_dirs[0])
    originals = [_photo_12mp(n) for n in range(2)]
    created = [_ingest(seeded_server, data, n) for n, data in enumerate(originals)]
    assert all(c["preview"] is not None for c in created)

    session = demo_ws.start_review(QUEUE, background_sync=False)
    session.fill(min_ready=10)
    by_id = {c.item.id: c for c in session.items()}
    assert {c["id"] for c in created} <= by_id.keys()

    vault = demo_ws.data_dir / "media"
    cached = {p.name.split(".")[0] for p in vault.iterdir() if p.is_file()}
    for made, original in zip(created, originals, strict=True):
        item = by_id[made["id"]].item
        assert item.preview is not None and item.preview.sha256 == made["preview"]["sha256"]
        assert item.media is not None and item.media.sha256 == hashlib.sha256(original).hexdigest()
        # Only the preview crossed the network into the vault; the original never did.
        assert item.preview.sha256 in cached
        assert item.media.sha256 not in cached
        shown = session.media_bytes(item.id)
        assert hashlib.sha256(shown).hexdigest() == item.preview.sha256
        assert len(shown) < len(original) / 2
        with Image.open(io.BytesIO(shown)) as img:
            assert img.format == "JPEG" and max(img.size) <= PREVIEW_EDGE
        prepared = prepare_image(shown, item.preview.mime, (1000, 700), WellnessPolicy(), 1)
        assert prepared.protected.size == prepared.revealed.size
        assert max(prepared.revealed.size) <= 1000


def test_small_images_have_no_preview_and_show_the_original(demo_ws):
    session = demo_ws.start_review("hate-speech", background_sync=False)
    session.fill(min_ready=10)
    images = [c for c in session.items() if c.item.media is not None and c.state != "broken"]
    assert images
    for cached in images[:3]:
        assert cached.item.preview is None
        shown = session.media_bytes(cached.item.id)
        assert hashlib.sha256(shown).hexdigest() == cached.item.media.sha256
