"""The audit log: who did what, when, from where, and the outcome, in the database.

Requests are recorded by `AuditTrail`, a middleware that sees every route (other
modules' routes included, without editing them) and writes one row before the reply
leaves, so a caller who got an answer is on record (through the process's writer thread,
`server.audit_batch`, which commits the rows of requests finishing together at once).
The row holds the route's name, its path parameters (queue, lease, media hash), the
caller, the address and the status: never a body, so never content, notes or passwords.
Administration commands record themselves through `record_event`.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reviewer.protocol import API_PREFIX
from server.audit_batch import AuditBatcher
from server.db import Database
from server.models import AuditEvent, utcnow

log = logging.getLogger(__name__)

ACTIONS = {
    ("POST", "/auth/token"): "login",
    ("POST", "/auth/logout"): "token.revoke",
    ("POST", "/queues/{queue}/leases"): "lease",
    ("POST", "/leases/{lease}/renew"): "lease.renew",
    ("DELETE", "/leases/{lease}"): "lease.release",
    ("GET", "/media/{sha256}"): "media.fetch",
    ("POST", "/decisions"): "decisions",
    ("GET", "/qa/decisions"): "qa.read",
    ("GET", "/qa/report"): "qa.report",
    ("POST", "/qa/verdicts"): "qa.verdicts",
    ("POST", "/exposure"): "wellness.exposure",
    ("GET", "/wellness/report"): "wellness.read",
    ("PUT", "/wellness/policies/{scope}"): "policy.change",
    ("POST", "/items"): "item.add",
}
"""Names for the known routes; any other route is recorded as `METHOD /template`."""
QUIET = {("GET", "/me"), ("GET", "/queues"), ("GET", "/policy")}
"""Reads that reveal nothing beyond the caller's own account: not recorded."""
EXPORT_FIELDS = ("id", "at", "actor", "action", "target", "source", "outcome")


def record_event(db: Database, *, actor: str, action: str, outcome: str, target: str = "",
                 source: str = "cli") -> None:
    """One audit row, committed when this returns (one statement of its own: no ORM unit
    of work, and on PostgreSQL one round trip)."""
    with db.statement() as conn:
        conn.execute(_INSERT, _audit_row(actor=actor, action=action, outcome=outcome,
                                         target=target, source=source))


def _audit_row(*, actor: str, action: str, outcome: str, target: str,
               source: str) -> dict[str, object]:
    return {"at": utcnow(), "actor": actor[:64], "action": action[:100],
            "target": target[:200], "source": source[:100], "outcome": outcome[:32]}


_INSERT = insert(AuditEvent)  # built once: its compiled form and cache key are memoized


def action_for(method: str, template: str) -> str | None:
    """The audit name of a route, or None when it is not recorded."""
    if (method, template) in QUIET:
        return None
    return ACTIONS.get((method, template), f"{method} {template}")


class AuditTrail:
    def __init__(self, app: ASGIApp, batcher: AuditBatcher) -> None:
        self.app = app
        self.batcher = batcher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self._record(scope, message["status"])
            await send(message)

        await self.app(scope, receive, recording_send)

    async def _record(self, scope: Scope, status: int) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None)
        if template is None:
            return  # no route matched: a 404/405 for a path that does not exist
        action = action_for(scope["method"], template)
        if action is None:
            return
        params = scope.get("path_params") or {}
        target = " ".join(f"{k}={v}" for k, v in sorted(params.items()))
        client = scope.get("client")
        row = _audit_row(actor=str(scope["state"].get("actor", "")), action=action,
                         outcome=str(status), target=target,
                         source=client[0] if client else "unknown")
        try:
            await asyncio.wrap_future(self.batcher.submit(row))
        except SQLAlchemyError as exc:
            log.warning("audit write failed (%s) for %s", type(exc).__name__, action)


def audit_events(db: Database, since: datetime | None) -> Iterator[AuditEvent]:
    """Audit rows from `since` on, oldest first, streamed in pages."""
    with db.session() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if since is not None:
            query = query.where(AuditEvent.at >= since)
        yield from session.scalars(query.execution_options(yield_per=500))


def _row(event: AuditEvent) -> dict[str, object]:
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor,
            "action": event.action, "target": event.target, "source": event.source,
            "outcome": event.outcome}


def write_export(events: Iterator[AuditEvent], out: io.TextIOBase, fmt: str) -> int:
    """Write rows as JSON lines or CSV; return how many."""
    count = 0
    writer = csv.DictWriter(out, EXPORT_FIELDS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    for event in events:
        row = _row(event)
        if writer is not None:
            writer.writerow(row)
        else:
            out.write(json.dumps(row) + "\n")
        count += 1
    return count
