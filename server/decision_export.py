"""Decisions leave the server for the platform their items came from:
`reviewer-server export decisions --since ... --format jsonl|csv`.

Every recorded decision from `since` on (by the server's receipt time), oldest first,
streamed in pages, with the item's external id when the ingest manifest gave one. A
platform keeps the newest decision per item (`supersedes` names the one replaced) and
deduplicates by `decision_id`. Reviewers' notes stay on the server.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select

from server.db import Database
from server.models import DecisionRecord, IngestKey

FIELDS = ("decision_id", "item_id", "external_id", "queue", "reviewer", "action", "labels",
          "status", "supersedes", "started_at", "decided_at", "received_at")


def _external_ids(session: Any, item_ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(IngestKey.item_id, IngestKey.key).where(
        IngestKey.item_id.in_(item_ids), IngestKey.key.like("external:%")))
    return {row.item_id: row.key.split(":", 2)[2] for row in rows}


def decision_rows(db: Database, since: datetime | None) -> Iterator[dict[str, Any]]:
    with db.session() as session:
        query = select(DecisionRecord).order_by(DecisionRecord.received_at,
                                                DecisionRecord.decision_id)
        if since is not None:
            query = query.where(DecisionRecord.received_at >= since)
        page: list[DecisionRecord] = []
        for record in session.scalars(query.execution_options(yield_per=500)):
            page.append(record)
            if len(page) == 500:
                yield from _rows(session, page)
                page = []
        yield from _rows(session, page)


def decision_row(r: DecisionRecord, external_id: str | None) -> dict[str, Any]:
    """A decision as it leaves the server (export, webhook): never its note."""
    return {"decision_id": r.decision_id, "item_id": r.item_id, "external_id": external_id,
            "queue": r.queue, "reviewer": r.reviewer, "action": r.action,
            "labels": list(r.labels), "status": r.status, "supersedes": r.supersedes,
            "started_at": r.started_at.isoformat(), "decided_at": r.decided_at.isoformat(),
            "received_at": r.received_at.isoformat()}


def external_ids(session: Any, item_ids: set[str]) -> dict[str, str]:
    return _external_ids(session, item_ids) if item_ids else {}


def _rows(session: Any, page: list[DecisionRecord]) -> Iterator[dict[str, Any]]:
    external = external_ids(session, {r.item_id for r in page})
    for r in page:
        yield decision_row(r, external.get(r.item_id))


def write_decisions(rows: Iterator[dict[str, Any]], out: TextIO, fmt: str) -> int:
    count = 0
    writer = csv.DictWriter(out, FIELDS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    for row in rows:
        if writer is not None:
            writer.writerow({**row, "labels": " ".join(row["labels"]),
                             "external_id": row["external_id"] or "",
                             "supersedes": row["supersedes"] or ""})
        else:
            out.write(json.dumps(row) + "\n")
        count += 1
    return count
