"""Demo seeding: users, queues, >= 60 items, the broken cases, idempotence, 12 MP images,
previews for large images and never for the broken cases; pictures at the stated sizes and
EXIF orientations, texts in the stated scripts, everything marked synthetic (the checks
themselves are in seed_checks.py)."""

from __future__ import annotations

import hashlib
import io
import secrets
import struct
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image
from seed_checks import (
    assert_pictures_as_stated,
    assert_texts_in_stated_scripts,
    seeded_items,
    stated_picture,
)
from server_harness import Harness

from reviewer.protocol import API_PREFIX, PREVIEW_EDGE, MediaRef
from server import seed
from server.db import Database
from server.embedded import EmbeddedServer
from server.media_gen import encode, synthetic_image
from server.media_store import LocalMediaStore as MediaStore
from server.models import Item
from server.seed import seed_demo
from server.seed_content import PHONE_SIZES, QUEUES, SMALL_SIZES


def _login(server: EmbeddedServer, username: str, password: str) -> dict[str, str]:
    reply = httpx.post(f"{server.url}{API_PREFIX}/auth/token",
                       json={"username": username, "password": password})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _assert_context_panel_fields(db_url: str) -> list[Item]:
    """Every seeded item carries what the client's context panel shows."""
    db = Database(db_url)
    try:
        with db.session() as session:
            items = list(session.query(Item))
    finally:
        db.dispose()
    offsets = set()
    for item in items:
        reason, description = item.context.get("report_reason"), item.context.get("description")
        assert reason and (reason.startswith("Reported by ") or "classifier" in reason), item.id
        assert reason.endswith(REASONS[item.category]), (item.id, reason)
        assert description and "Synthetic" in description, item.id
        if item.kind == "image" and "test_case" not in item.context:
            assert description.startswith("Synthetic image: ") and " sky over " in (
                description) and " shapes; " in description, description
        assert item.sla_due is not None, item.id
        offset = item.sla_due - item.created_at
        assert timedelta(hours=1) <= offset <= timedelta(hours=7), (item.id, offset)
        offsets.add(offset)
    assert len(offsets) >= 10  # SLAs vary from item to item
    assert len({i.context["report_reason"] for i in items}) >= 10
    assert len({i.context["description"] for i in items}) >= 20
    return items


REASONS = {"slur": "slurs", "harassment": "harassment", "hate_symbol": "hateful symbols",
           "graphic_violence": "graphic violence", "weapons": "weapons",
           "injury": "graphic injury", "scam": "a scam", "phishing": "phishing",
           "bulk": "bulk spam"}


def test_small_seed_gives_reviewable_queues_and_broken_cases(live_server: EmbeddedServer) -> None:
    demo_password = secrets.token_urlsafe(16)
    summary = seed_demo(live_server.db_url, live_server.data_dir, scale="small",
                        passwords={"demo": demo_password, "qa": secrets.token_urlsafe(16)})
    assert summary.queues == ["hate-speech", "violent-imagery", "spam"]
    assert summary.items_total >= 60
    assert set(summary.passwords) == {"demo", "demo2", "senior", "qa", "wellness", "admin"}

    demo = _login(live_server, "demo", demo_password)
    api = httpx.Client(base_url=live_server.url + API_PREFIX, headers=demo)
    me = api.get("/me").json()
    assert me["user"] == {"username": "demo", "roles": ["reviewer"], "teams": ["vendor-a"]}
    lease = api.post("/queues/violent-imagery/leases", json={"max_items": 20}).json()
    assert all(i["sla_due"] and i["context"]["report_reason"] and i["context"]["description"]
               for i in lease["items"])
    cases = {i["context"]["test_case"]: i for i in lease["items"] if "test_case" in i["context"]}
    assert set(cases) == {"broken:truncated", "broken:bomb", "broken:mime", "broken:hash"}
    assert [a["key"] for a in lease["taxonomy"]["actions"]] == ["1", "2", "3", "4", None]

    def fetch(case: str) -> bytes:
        return api.get(f"/media/{cases[case]['media']['sha256']}").content

    hashed = cases["broken:hash"]["media"]["sha256"]
    assert hashlib.sha256(fetch("broken:hash")).hexdigest() != hashed
    assert not fetch("broken:mime").startswith(b"\xff\xd8")
    width, height = struct.unpack(">II", fetch("broken:bomb")[16:24])
    assert width * height > Image.MAX_IMAGE_PIXELS * 2
    with pytest.raises(OSError):
        Image.open(io.BytesIO(fetch("broken:truncated"))).load()
    api.close()

    assert len(_assert_context_panel_fields(live_server.db_url)) == 70
    again = seed_demo(live_server.db_url, live_server.data_dir, scale="small")
    assert (again.items_created, again.items_total, again.passwords) == (0, 70, {})
    assert again.broken == summary.broken


def test_full_seed_adds_images_up_to_12_megapixels(tmp_path) -> None:
    """SQLite only: the full scale adds large pictures, not database work (the small seed
    runs on both databases)."""
    data_dir = tmp_path / "data"
    db_url = f"sqlite:///{tmp_path / 's.db'}"
    summary = seed_demo(db_url, data_dir, scale="full")
    assert summary.items_total > 70
    big = [i for i in _assert_context_panel_fields(db_url) if (i.media_bytes or 0) > 1_000_000]
    assert big and all(i.context["description"].startswith("Synthetic image: ") for i in big)
    sizes = set()
    for path in (data_dir / "media").glob("*/*"):
        try:
            with Image.open(path) as image:
                sizes.add((image.format, image.width * image.height))
        except (OSError, Image.DecompressionBombError):
            continue  # the deliberately broken files
    assert ("JPEG", 12_000_000) in sizes and ("PNG", 12_000_000) in sizes
    _assert_previews_only_for_large_images(db_url, MediaStore(data_dir / "media"))

    items = seeded_items(db_url)
    made = assert_pictures_as_stated(items, MediaStore(data_dir / "media"))
    big = {size for plan in QUEUES for size in plan.big_images}
    assert made == set(PHONE_SIZES) | big  # every phone size and every camera photo
    assert {orientation for *_size, orientation in made} == {1, 3, 6, 8}
    assert min(w * h for w, h, *_ in made) < 1_100_000 < 12_000_000 <= max(
        w * h for w, h, *_ in made)  # from phone posts to 12 MP
    assert_texts_in_stated_scripts(items)


def test_small_seed_makes_low_resolution_pictures_and_multilingual_texts(
        server_dirs: tuple[str, Path]) -> None:
    """The scale the tests use: every picture at its stated size and orientation (some
    turned by EXIF), every text in its stated script, all marked synthetic."""
    db_url, data_dir = server_dirs
    seed_demo(db_url, data_dir, scale="small")
    items = seeded_items(db_url)
    made = assert_pictures_as_stated(items, MediaStore(data_dir / "media"))
    assert made == set(SMALL_SIZES)
    assert {6, 3} <= {orientation for *_size, orientation in made}
    assert_texts_in_stated_scripts(items)


def _seeded_size(item: Item) -> tuple[int, int]:
    """The size the seeding wrote at the end of the description ("...; 4000x3000 JPEG")."""
    width, height, _fmt, _orientation = stated_picture(item)
    return width, height


def _assert_previews_only_for_large_images(db_url: str, store: MediaStore) -> None:
    with_preview = 0
    for item in _assert_context_panel_fields(db_url):
        if item.kind != "image" or "test_case" in item.context:
            assert item.preview_sha256 is None and item.preview_bytes is None, item.id
            continue
        assert (item.preview_sha256 is not None) == (max(_seeded_size(item)) > PREVIEW_EDGE), (
            item.id, _seeded_size(item))
        if item.preview_sha256:
            with_preview += 1
            path = store.path(item.preview_sha256)
            assert item.preview_bytes == path.stat().st_size
            with Image.open(path) as shown:
                assert shown.format == "JPEG" and max(shown.size) <= PREVIEW_EDGE
    assert with_preview >= 4  # the 12 MP and other large images of the full plan


def test_seeding_makes_previews_for_ordinary_images_never_for_broken_ones(
        live_server: EmbeddedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeding asks for a preview of every ordinary image (real ones are large only; this
    one says yes to all) and never for a broken case, which must stay as it is."""
    stub = encode(synthetic_image(32, 24, 1), "JPEG")
    asked: list[str] = []

    def preview_everything(store: MediaStore, kind: str, data: bytes | None,
                           mime: str | None) -> MediaRef | None:
        asked.append(hashlib.sha256(data or b"").hexdigest())
        return MediaRef(sha256=store.put(stub), mime="image/jpeg", bytes=len(stub))

    monkeypatch.setattr(seed, "store_preview", preview_everything)
    summary = seed_demo(live_server.db_url, live_server.data_dir, scale="small")
    db = Database(live_server.db_url)
    try:
        with db.session() as session:
            items = list(session.query(Item).where(Item.kind == "image"))
    finally:
        db.dispose()
    broken = [i for i in items if "test_case" in i.context]
    assert {i.id for i in broken} == set(summary.broken.values())
    assert all(i.preview_sha256 is None for i in broken)
    assert not {i.media_sha256 for i in broken} & set(asked)
    ordinary = [i for i in items if "test_case" not in i.context]
    assert len(ordinary) >= 10 and len(asked) == len(ordinary)
    assert all(i.preview_sha256 == hashlib.sha256(stub).hexdigest() for i in ordinary)

    demo = Harness(live_server)
    try:  # the wire form carries it, and a broken case's lease item has none
        lease = demo.lease(demo.user(), "violent-imagery", 20)
    finally:
        demo.close()
    cases = [i for i in lease["items"] if "test_case" in i["context"]]
    assert len(cases) == 4 and all(i["preview"] is None for i in cases)
    assert any(i["preview"] for i in lease["items"] if i["kind"] == "image"
               and "test_case" not in i["context"])
