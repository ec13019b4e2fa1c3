"""Previews end to end: made at ingest (HTTP and CLI), carried on the lease, served under
the original's rules; and `create_schema` upgrading a database made before previews."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from server_harness import Harness
from sqlalchemy import insert, inspect

from reviewer.protocol import PREVIEW_EDGE
from server.cli import main
from server.db import Database
from server.embedded import EmbeddedServer
from server.media_gen import encode, synthetic_image
from server.models import Item, utcnow
from server.services.items import ensure_queue, item_to_wire


def _ingest(h: Harness, admin: dict[str, str], data: bytes, mime: str) -> dict[str, Any]:
    body = {"queue": "q", "kind": "image", "media_base64": base64.b64encode(data).decode(),
            "mime": mime, "category": "test"}
    reply = h.http.post("/items", json=body, headers=admin)
    assert reply.status_code == 201, reply.text
    return reply.json()


@pytest.mark.lease_ttl(120)
def test_ingest_makes_a_preview_served_under_the_originals_rules(backend_harness: Harness
                                                                 ) -> None:
    h = backend_harness
    h.queue("q", 0)
    admin = h.user("root", "admin")
    big = encode(synthetic_image(2400, 1800, 8, "big"), "PNG")
    created = _ingest(h, admin, big, "image/png")
    small = _ingest(h, admin, encode(synthetic_image(640, 480, 9), "JPEG"), "image/jpeg")
    preview = created["preview"]
    assert preview is not None and preview["mime"] == "image/jpeg"
    assert preview["sha256"] != created["media"]["sha256"]
    assert 0 < preview["bytes"] < created["media"]["bytes"] / 2
    assert small["preview"] is None and small["media"] is not None

    alice, bob = h.user("alice"), h.user("bob")
    qa = h.user("qa", "qa_lead")
    lease = h.lease(alice, "q")
    items = {item["id"]: item for item in lease["items"]}
    assert items[created["id"]]["preview"] == preview
    assert items[created["id"]]["media"] == created["media"]
    assert items[small["id"]]["preview"] is None

    path = f"/media/{preview['sha256']}"
    mine = h.http.get(path, headers=alice)
    assert mine.status_code == 200, mine.text
    assert hashlib.sha256(mine.content).hexdigest() == preview["sha256"]
    assert len(mine.content) == preview["bytes"]
    assert mine.headers["content-type"] == "image/jpeg"
    assert mine.headers["cache-control"] == "no-store"
    with Image.open(io.BytesIO(mine.content)) as shown:
        assert shown.format == "JPEG" and shown.size == (PREVIEW_EDGE, 1536)
    original = h.http.get(f"/media/{created['media']['sha256']}", headers=alice)
    assert original.status_code == 200 and original.headers["content-type"] == "image/png"
    assert original.content == big

    assert h.http.get(path, headers=bob).status_code == 403
    by_qa = h.http.get(path, headers=qa)
    assert by_qa.status_code == 200 and by_qa.headers["content-type"] == "image/jpeg"
    h.http.delete(f"/leases/{lease['lease_id']}", headers=alice)
    assert h.http.get(path, headers=alice).status_code == 403


def test_cli_ingest_makes_previews_for_large_images(live_server: EmbeddedServer,
                                                   tmp_path: Path) -> None:
    big, small = tmp_path / "big.jpg", tmp_path / "small.png"
    big.write_bytes(encode(synthetic_image(3000, 2000, 5), "JPEG"))
    small.write_bytes(encode(synthetic_image(300, 200, 6), "PNG"))
    code = main(["ingest", "inbox", str(big), str(small), "--db", live_server.db_url,
                 "--data-dir", str(live_server.data_dir)])
    assert code == 0
    h = Harness(live_server)
    try:
        items = {item["context"]["source"]: item for item in h.lease(h.user(), "inbox")["items"]}
        preview = items["big.jpg"]["preview"]
        assert preview is not None and preview["mime"] == "image/jpeg"
        assert h.media.exists(preview["sha256"])
        assert items["small.png"]["preview"] is None
    finally:
        h.close()


# --- schema upgrade ----------------------------------------------------------------------


def _as_before_previews(db: Database) -> None:
    """Take the preview columns away, as a database made by the previous version."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_items_preview_sha256")
        conn.exec_driver_sql("ALTER TABLE items DROP COLUMN preview_sha256")
        conn.exec_driver_sql("ALTER TABLE items DROP COLUMN preview_bytes")


def _item_columns(db: Database) -> tuple[set[str], set[str]]:
    inspector = inspect(db.engine)
    return ({c["name"] for c in inspector.get_columns("items")},
            {str(i["name"]) for i in inspector.get_indexes("items")})


def test_create_schema_upgrades_a_database_made_before_previews(
        backend_db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    old = Database(backend_db_url)
    old.create_schema()
    _as_before_previews(old)
    columns, indexes = _item_columns(old)
    assert "preview_sha256" not in columns and "ix_items_preview_sha256" not in indexes
    with old.writer() as session:
        ensure_queue(session, "q")
    with old.engine.begin() as conn:  # what the previous version stored
        conn.execute(insert(Item.__table__).values(
            id="old-1", queue="q", kind="image", media_sha256="a" * 64, mime="image/png",
            media_bytes=10, category="test", context={}, created_at=utcnow()))
    old.dispose()

    db = Database(backend_db_url)
    try:
        with caplog.at_level(logging.INFO, logger="server.db"):
            db.create_schema()
        columns, indexes = _item_columns(db)
        assert {"preview_sha256", "preview_bytes"} <= columns
        assert "ix_items_preview_sha256" in indexes
        added = " ".join(r.getMessage() for r in caplog.records if r.name == "server.db")
        assert "items.preview_sha256" in added and "items.preview_bytes" in added
        with db.session() as session:
            wire = item_to_wire(session.get(Item, "old-1"))  # type: ignore[arg-type]
        assert wire.preview is None and wire.media is not None and wire.media.bytes == 10
        with db.writer() as session:
            item = session.get(Item, "old-1")
            assert item is not None
            item.preview_sha256, item.preview_bytes = "b" * 64, 5
        with db.session() as session:
            wire = item_to_wire(session.get(Item, "old-1"))  # type: ignore[arg-type]
        assert wire.preview is not None and wire.preview.sha256 == "b" * 64

        caplog.clear()
        with caplog.at_level(logging.INFO, logger="server.db"):
            db.create_schema()  # up to date: nothing more to do
        assert not [r for r in caplog.records if r.name == "server.db"]
    finally:
        db.dispose()


def test_create_schema_refuses_to_add_a_not_null_column(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        db.create_schema()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE decisions DROP COLUMN client")
        with pytest.raises(RuntimeError, match="decisions.client"):
            db.create_schema()
    finally:
        db.dispose()
