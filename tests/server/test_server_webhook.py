"""Per-queue webhooks against a receiver on loopback, on SQLite and PostgreSQL: each
accepted decision is POSTed, HMAC-signed, retried after a failure (with backoff) until
delivered, at least once, deduplicable by decision id, and never carries a note."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from server_harness import Harness, decision
from sqlalchemy import select

from server.models import WebhookDelivery
from server.queue_admin import QueueConfigError, set_webhook
from server.webhooks import WebhookDeliverer

NOTE = "webhook-must-never-carry-this-note"


class Receiver:
    """A loopback HTTP receiver that answers `failures` 503s, then 200s, and keeps all."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()},
                                          body))
                failing = receiver.failures > 0
                receiver.failures -= 1
                self.send_response(503 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(failures=1)
    yield r
    r.close()


def test_each_accepted_decision_is_delivered_signed_at_least_once(
        backend_harness: Harness, receiver: Receiver) -> None:
    h = backend_harness
    ids = h.queue("q", 3)
    secret = secrets.token_urlsafe(24)
    set_webhook(h.db, "q", receiver.url, secret)
    reviewer = h.user("rita")
    lease = h.lease(reviewer, "q", 3)
    made = [decision(ids[0], lease["lease_id"], "remove", note=NOTE),
            decision(ids[1], lease["lease_id"])]
    h.post_decisions(reviewer, *made)

    deliverer = WebhookDeliverer(h.db, first_backoff=0.0)
    try:
        assert deliverer.run_once() == 1  # the first POST got a 503
        assert deliverer.run_once() == 1  # retried
        assert deliverer.run_once() == 0  # nothing left
    finally:
        deliverer.stop()

    assert len(receiver.received) == 3
    delivered = {}
    for headers, body in receiver.received:
        expected = hmac.new(secret.encode(), headers["x-reviewer-timestamp"].encode() + b"."
                            + body, hashlib.sha256).hexdigest()
        assert headers["x-reviewer-signature"] == f"sha256={expected}"
        payload = json.loads(body)
        assert headers["x-reviewer-delivery"] == payload["decision_id"]
        assert NOTE.encode() not in body
        delivered[payload["decision_id"]] = payload
    assert set(delivered) == {d["decision_id"] for d in made}
    assert delivered[made[0]["decision_id"]]["action"] == "remove"
    with h.db.session() as session:
        rows = list(session.scalars(select(WebhookDelivery)))
    assert all(r.delivered_at is not None for r in rows)
    assert sorted(r.attempts for r in rows) == [1, 2]


def test_a_failed_delivery_waits_its_backoff(backend_harness: Harness) -> None:
    h = backend_harness
    always_down = Receiver(failures=100)
    try:
        ids = h.queue("q", 1)
        set_webhook(h.db, "q", always_down.url, secrets.token_urlsafe(24))
        reviewer = h.user("rita")
        lease = h.lease(reviewer, "q", 1)
        h.post_decisions(reviewer, decision(ids[0], lease["lease_id"]))
        deliverer = WebhookDeliverer(h.db, first_backoff=600.0)
        try:
            assert deliverer.run_once() == 0
            assert deliverer.run_once() == 0  # not due again for ten minutes
        finally:
            deliverer.stop()
        assert len(always_down.received) == 1
        with h.db.session() as session:
            row = session.scalars(select(WebhookDelivery)).one()
        assert (row.attempts, row.last_outcome, row.delivered_at) == (1, "503", None)
    finally:
        always_down.close()


@pytest.mark.parametrize("url", ["http://platform.example.com/hook", "ftp://127.0.0.1/x",
                                 "not a url"])
def test_webhook_urls_must_not_send_decisions_in_clear(backend_harness: Harness,
                                                       url: str) -> None:
    backend_harness.queue("q", 1)
    with pytest.raises(QueueConfigError):
        set_webhook(backend_harness.db, "q", url, secrets.token_urlsafe(24))
