"""Media goes only to a reviewer holding a live lease on an item using it, and to QA."""

from __future__ import annotations

import hashlib

from server_harness import Harness


def test_media_for_lease_holder_and_qa_only(harness: Harness) -> None:
    h = harness
    h.queue("q", 2, images=2)
    alice, bob = h.user("alice"), h.user("bob")
    qa, wellness = h.user("qa", "qa_lead"), h.user("w", "wellness")
    lease = h.lease(alice, "q", 1)
    media = lease["items"][0]["media"]
    path = f"/media/{media['sha256']}"

    mine = h.http.get(path, headers=alice)
    assert mine.status_code == 200
    assert hashlib.sha256(mine.content).hexdigest() == media["sha256"]
    assert mine.headers["content-type"] == media["mime"]
    assert mine.headers["cache-control"] == "no-store"
    assert len(mine.content) == media["bytes"]

    assert h.http.get(path, headers=bob).status_code == 403
    assert h.http.get(path, headers=qa).status_code == 200
    assert h.http.get(path, headers=wellness).status_code == 403

    h.http.delete(f"/leases/{lease['lease_id']}", headers=alice)
    assert h.http.get(path, headers=alice).status_code == 403


def test_media_stays_content_addressed_on_disk(harness: Harness) -> None:
    h = harness
    h.queue("q", 1, images=1)
    media = h.lease(h.user(), "q")["items"][0]["media"]
    stored = h.server.data_dir / "media" / media["sha256"][:2] / media["sha256"]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == media["sha256"]
