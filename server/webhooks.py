"""Per-queue webhooks: each final (accepted) decision of a queue with a webhook is POSTed
to it as JSON, signed with HMAC-SHA256, retried with exponential backoff until a 2xx, at
least once; the receiver deduplicates by `X-Reviewer-Delivery` (the decision id).

Headers: `X-Reviewer-Delivery: <decision_id>`, `X-Reviewer-Timestamp: <unix seconds>`,
`X-Reviewer-Signature: sha256=<hex HMAC of "<timestamp>.<body>" under the queue's secret>`.
The body is the exported decision (`server.decision_export.decision_row`): never a note.
Network calls happen outside any database transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from server.db import Database
from server.decision_export import decision_row, external_ids
from server.models import DecisionRecord, QueueWebhook, WebhookDelivery, utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = 3600.0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True)
class Due:
    decision_id: str
    url: str
    secret: str
    attempts: int
    body: bytes


class WebhookDeliverer:
    def __init__(self, db: Database, *, first_backoff: float = 5.0, timeout: float = 10.0,
                 batch: int = 50) -> None:
        self.db = db
        self.first_backoff = first_backoff
        self.batch = batch
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def enqueue_new(self) -> int:
        """Add a delivery for every accepted decision of a webhook queue made since its
        webhook was set and not yet queued; return how many."""
        now = utcnow()
        with self.db.writer() as session:
            hooks = {h.queue: h.created_at for h in session.scalars(select(QueueWebhook))}
            added = 0
            for queue, since in hooks.items():
                queued = select(WebhookDelivery.decision_id).where(
                    WebhookDelivery.decision_id == DecisionRecord.decision_id)
                new = session.scalars(select(DecisionRecord.decision_id).where(
                    DecisionRecord.queue == queue, DecisionRecord.status == "accepted",
                    DecisionRecord.received_at >= since, ~queued.exists()))
                for decision_id in new:
                    session.add(WebhookDelivery(decision_id=decision_id, queue=queue,
                                                attempts=0, next_attempt_at=now))
                    added += 1
        return added

    def _due(self, now: datetime) -> list[Due]:
        with self.db.session() as session:
            rows = session.execute(
                select(WebhookDelivery, QueueWebhook, DecisionRecord)
                .join(QueueWebhook, QueueWebhook.queue == WebhookDelivery.queue)
                .join(DecisionRecord,
                      DecisionRecord.decision_id == WebhookDelivery.decision_id)
                .where(WebhookDelivery.delivered_at.is_(None),
                       WebhookDelivery.next_attempt_at <= now)
                .order_by(WebhookDelivery.next_attempt_at).limit(self.batch)).all()
            external = external_ids(session, {r.DecisionRecord.item_id for r in rows})
            return [Due(r.WebhookDelivery.decision_id, r.QueueWebhook.url,
                        r.QueueWebhook.secret, r.WebhookDelivery.attempts,
                        json.dumps(decision_row(r.DecisionRecord, external.get(
                            r.DecisionRecord.item_id))).encode())
                    for r in rows]

    def _post(self, due: Due) -> str:
        timestamp = str(int(time.time()))
        try:
            reply = self._http.post(due.url, content=due.body, headers={
                "Content-Type": "application/json", "X-Reviewer-Delivery": due.decision_id,
                "X-Reviewer-Timestamp": timestamp,
                "X-Reviewer-Signature": sign(due.secret, timestamp, due.body)})
        except httpx.HTTPError as exc:
            return f"error {type(exc).__name__}"
        return str(reply.status_code)

    def deliver_due(self) -> int:
        """Try every delivery that is due once; return how many were delivered."""
        delivered = 0
        for due in self._due(utcnow()):
            outcome = self._post(due)
            ok = outcome.startswith("2")
            with self.db.writer() as session:
                row = session.get(WebhookDelivery, due.decision_id)
                if row is None:
                    continue
                row.attempts += 1
                row.last_outcome = outcome[:100]
                if ok:
                    row.delivered_at = utcnow()
                    delivered += 1
                else:
                    wait = min(self.first_backoff * 2 ** (row.attempts - 1), MAX_BACKOFF)
                    row.next_attempt_at = utcnow() + timedelta(seconds=wait)
            if not ok:
                log.warning("webhook delivery of %s failed (%s); retrying later",
                            due.decision_id, outcome)
        return delivered

    def run_once(self) -> int:
        self.enqueue_new()
        return self.deliver_due()

    def start(self, interval: float = 2.0) -> None:
        """Deliver in a background thread every `interval` seconds until `stop()`."""

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.run_once()
                except Exception as exc:  # noqa: BLE001 - keep delivering; never log bodies
                    log.warning("webhook round failed: %s", type(exc).__name__)
                self._stop.wait(interval)

        self._thread = threading.Thread(target=loop, name="webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._http.close()
