"""Previews end to end: made at ingest (HTTP and CLI), carried on the lease, served under
the original's rules. (Upgrading an older database: tests/server/test_server_migrations.py.)"""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from server_harness import Harness

from reviewer.protocol import PREVIEW_EDGE
from server.cli import main
from server.embedded import EmbeddedServer
from server.media_gen import encode, synthetic_image


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
