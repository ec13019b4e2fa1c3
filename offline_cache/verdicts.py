"""The verdict outbox (schema 2): a QA lead's verdicts queue here and sync exactly once.

Like the decision outbox: a verdict is committed before the QA view moves on (one
transaction on the store's decision connection, statement built once), keyed by its
`verdict_id` so adding it twice keeps one, and kept after the server answers it
(accepted, duplicate or rejected with a reason) as the lead's history.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from offline_cache.engine import StoreEngine
from offline_cache.models import VerdictRow, utc_now
from offline_cache.outbox import Answer, record_answers
from offline_cache.records import VERDICT_ANSWERS, VerdictEntry
from reviewer.protocol import QAVerdict


class VerdictOutbox:
    """The QA verdicts of one store, pending and answered."""

    def __init__(self, db: StoreEngine) -> None:
        self._db = db

    def add(self, verdict: QAVerdict, *, username: str) -> None:
        """Commit a verdict durably (one transaction); adding it twice keeps the first."""
        row = {
            "verdict_id": str(verdict.verdict_id),
            "decision_id": str(verdict.decision_id),
            "username": username,
            "status": "pending",
            "verdict_json": verdict.model_dump_json(),
            "added_at": utc_now(),
        }
        with self._db.writing_fast() as c:
            c.execute(_ADD_VERDICT, row)

    def pending(self, limit: int = 200, *, username: str) -> list[QAVerdict]:
        """The lead's verdicts not yet answered by the server, oldest first."""
        stmt = (
            select(VerdictRow.verdict_json)
            .where(VerdictRow.username == username, VerdictRow.status == "pending")
            .order_by(VerdictRow.seq)
            .limit(limit)
        )
        with self._db.read() as s:
            texts = s.scalars(stmt).all()
        return [QAVerdict.model_validate_json(t) for t in texts]

    def record_results(self, answers: Iterable[Answer]) -> int:
        """Mark verdicts answered (`(verdict_id, status, reason)`, status one of
        accepted, duplicate, rejected) in one transaction; returns how many were found."""
        return record_answers(self._db, VerdictRow, VerdictRow.verdict_id, answers,
                              VERDICT_ANSWERS, "verdict")

    def recent(self, username: str, limit: int = 10) -> list[VerdictEntry]:
        """The lead's latest verdicts, newest first, whatever their status."""
        stmt = (
            select(VerdictRow)
            .where(VerdictRow.username == username)
            .order_by(VerdictRow.seq.desc())
            .limit(limit)
        )
        with self._db.read() as s:
            rows = s.scalars(stmt).all()
        return [
            VerdictEntry(
                verdict=QAVerdict.model_validate_json(r.verdict_json),
                status=r.status,  # type: ignore[arg-type]
                reason=r.reason,
            )
            for r in rows
        ]

    def count_pending(self, *, username: str) -> int:
        stmt = (
            select(func.count())
            .select_from(VerdictRow)
            .where(VerdictRow.username == username, VerdictRow.status == "pending")
        )
        with self._db.read() as s:
            return int(s.scalar(stmt) or 0)


# Built once: a verdict is committed on the GUI thread, like a decision.
_ADD_VERDICT = sqlite_insert(VerdictRow).on_conflict_do_nothing(index_elements=["verdict_id"])
