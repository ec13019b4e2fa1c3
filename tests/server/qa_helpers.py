"""Helpers for the QA server tests: timed decisions, verdicts, gold marks, queue settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from server_harness import Harness

from server.services.gold import set_sharing
from server.services.items import ensure_queue


def timed(item_id: str, lease_id: str, action: str, *, handle_ms: int = 900,
          reveals: int = 0, at: datetime | None = None, **extra: Any) -> dict[str, Any]:
    """A decision that took `handle_ms` with `reveals` reveals, decided at `at` (now)."""
    decided = at or datetime.now(UTC)
    started = decided - timedelta(milliseconds=handle_ms)
    events: list[dict[str, Any]] = [{"at_ms": 0, "type": "shown"}]
    for n in range(reveals):
        events += [{"at_ms": 10 + n * 20, "type": "reveal_start", "mode": "hold"},
                   {"at_ms": 20 + n * 20, "type": "reveal_end", "duration_ms": 10}]
    events.append({"at_ms": handle_ms, "type": "decided", "action": action})
    return {"decision_id": str(uuid.uuid4()), "item_id": item_id, "lease_id": lease_id,
            "action": action, "started_at": started.isoformat(),
            "decided_at": decided.isoformat(), "events": events, **extra}


def verdict(decision_id: str, action: str, **extra: Any) -> dict[str, Any]:
    return {"verdict_id": str(uuid.uuid4()), "decision_id": decision_id, "action": action,
            **extra}


def post_verdicts(h: Harness, qa: dict[str, str], *verdicts: dict[str, Any]) -> dict:
    reply = h.http.post("/qa/verdicts", json={"verdicts": list(verdicts)}, headers=qa)
    assert reply.status_code == 200, reply.text
    return reply.json()


def share(h: Harness, queue: str, **settings: Any) -> None:
    """Set a queue's gold rate / overlap settings straight in the database."""
    with h.db.writer() as session:
        set_sharing(session, queue, **settings)


def mark_gold(h: Harness, qa: dict[str, str], item_id: str, action: str) -> None:
    reply = h.http.post("/qa/gold", json={"item_id": item_id, "action": action}, headers=qa)
    assert reply.status_code == 200, reply.text


def queue_with_actions(h: Harness, name: str, actions: list[str], items: int) -> list[str]:
    """A queue whose taxonomy has `actions`, with `items` text items."""
    taxonomy = {"actions": [{"id": a, "title": a.title()} for a in actions], "labels": []}
    with h.db.writer() as session:
        ensure_queue(session, name, taxonomy=taxonomy)
    return h.queue(name, items)


def report(h: Harness, qa: dict[str, str], **params: Any) -> dict[str, Any]:
    reply = h.http.get("/qa/report", params=params, headers=qa)
    assert reply.status_code == 200, reply.text
    return reply.json()
