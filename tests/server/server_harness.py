"""Helpers for the server tests: a harness around a live server with user, token, queue
and lease factories, and a decision builder.

Users and tokens are written straight into the server's database (one argon2 hash per
session) so that tests with many reviewers stay fast; logging in is tested on its own.
"""

from __future__ import annotations

import base64
import itertools
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import httpx
from backends import free_port  # noqa: F401 - the tests import it from here

from reviewer.protocol import API_PREFIX, MediaRef
from server.db import Database
from server.embedded import EmbeddedServer
from server.media_gen import encode, synthetic_image
from server.media_store import open_media_store
from server.models import AccessToken, User, utcnow
from server.security import hash_password, new_token
from server.services.items import add_item, ensure_queue

PASSWORD = secrets.token_urlsafe(16)  # fresh each run, never written down
TAXONOMY = {
    "actions": [{"id": "approve", "title": "Approve", "key": "1"},
                {"id": "remove", "title": "Remove", "key": "2"}],
    "labels": [{"id": "spam", "title": "Spam", "key": "3"}],
}


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


class Harness:
    """A live server plus factories: `user()` gives auth headers, `queue()` gives items."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server
        self.db = Database(server.db_url, strict=True)
        settings = getattr(server, "settings", None)  # a server of another process has none
        self.media = open_media_store(getattr(settings, "media_url", None), server.data_dir,
                                      endpoint_url=getattr(settings, "s3_endpoint_url", None))
        self.http = httpx.Client(base_url=server.url + API_PREFIX, timeout=20)
        self._ids = itertools.count()

    def close(self) -> None:
        self.http.close()
        self.db.dispose()

    def user(self, name: str | None = None, *roles: str, teams: tuple[str, ...] = (),
             expires_in: float = 3600) -> dict[str, str]:
        """Create a user (if new) and a bearer token; return the Authorization header."""
        name = name or f"user{next(self._ids)}"
        token, hashed = new_token()
        with self.db.writer() as session:
            if session.get(User, name) is None:
                session.add(User(username=name, password_hash=password_hash(),
                                 roles=list(roles or ("reviewer",)), teams=list(teams)))
                session.flush()
            session.add(AccessToken(token_hash=hashed, username=name,
                                    expires_at=utcnow() + timedelta(seconds=expires_in)))
        return {"Authorization": f"Bearer {token}"}

    def queue(self, name: str, items: int = 5, *, images: int = 0) -> list[str]:
        """Create a queue with `images` image items then text items; return item ids."""
        media: list[MediaRef] = []
        for n in range(images):  # media files first, then one short write transaction
            data = encode(synthetic_image(40 + n, 30, n), "PNG")
            media.append(MediaRef(sha256=self.media.put(data), mime="image/png",
                                  bytes=len(data)))
        ids = []
        with self.db.writer() as session:
            ensure_queue(session, name, taxonomy=TAXONOMY, sensitivity=1)
            base = utcnow() - timedelta(days=1)
            for n in range(items):
                ref = media[n] if n < images else None
                item = add_item(session, queue=name, kind="image" if ref else "text",
                                category="test", severity=n % 4, media=ref,
                                text=None if ref else f"text {n}",
                                item_id=f"{name}-{n:03d}",
                                created_at=base + timedelta(seconds=n))
                ids.append(item.id)
        return ids

    def lease(self, headers: dict[str, str], queue: str, max_items: int = 5) -> dict[str, Any]:
        reply = self.http.post(f"/queues/{queue}/leases", json={"max_items": max_items},
                               headers=headers)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def post_decisions(self, headers: dict[str, str], *decisions: dict[str, Any]) -> list[dict]:
        reply = self.http.post("/decisions", json={"decisions": list(decisions)}, headers=headers)
        assert reply.status_code == 200, reply.text
        return reply.json()["results"]


def png_base64() -> str:
    return base64.b64encode(encode(synthetic_image(20, 20, 1), "PNG")).decode()


def decision(item_id: str, lease_id: str, action: str = "approve", **extra: Any) -> dict:
    now = datetime.now(UTC).isoformat()
    return {"decision_id": str(uuid.uuid4()), "item_id": item_id, "lease_id": lease_id,
            "action": action, "started_at": now, "decided_at": now,
            "events": [{"at_ms": 0, "type": "shown"}, {"at_ms": 900, "type": "decided",
                                                        "action": action}], **extra}
