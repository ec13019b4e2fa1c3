"""The decision outbox: durable, withdrawable until answered, kept for history.

A decision is committed here before the view moves on (invariant 1) and stays until
the server answers it, then stays as history. The writes the GUI thread makes (add,
withdraw, replace) run on the store's decision connection (`StoreEngine.writing_fast`)
with statements built once at import, one transaction (one fsync) each, the decided
item's state changed in the same transaction. A sync round records its answers with
one UPDATE per distinct answer, not one per decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from offline_cache.engine import StoreEngine
from offline_cache.leases import SET_ITEM_STATE, check_item_state
from offline_cache.models import OutboxRow, utc_now
from offline_cache.records import ANSWER_STATUSES, ItemState, OutboxEntry
from reviewer.protocol import Decision

Answer = tuple[UUID | str, str, str | None]


def uuid_text(value: UUID | str) -> str:
    return str(value if isinstance(value, UUID) else UUID(str(value)))


class DecisionOutbox:
    """The decisions of one store, pending and answered."""

    def __init__(self, db: StoreEngine) -> None:
        self._db = db

    def add(self, decision: Decision, *, username: str, queue: str,
            item_state: ItemState | None = None) -> None:
        """Commit a decision durably (one transaction, fsynced once). Adding the same
        decision twice keeps the first copy. With `item_state`, the decided item's state
        changes in the same transaction, so the GUI thread pays for a single commit."""
        check_item_state(item_state)
        row = _decision_row(decision, username, queue)
        with self._db.writing_fast() as c:
            c.execute(_ADD_DECISION, row)
            if item_state is not None:
                c.execute(SET_ITEM_STATE, {"id": decision.item_id, "state": item_state,
                                           "error": None})

    def replace(self, withdraw: UUID | str | None, make: Callable[[bool], Decision], *,
                username: str, queue: str, item_state: ItemState) -> tuple[Decision, bool]:
        """Replace a decision in one transaction: `withdraw` leaves the outbox if the
        server has not answered it yet, then the decision `make(withdrawn)` builds is
        added and its item gets `item_state`. A crash can never keep neither of them.
        Returns the new decision and whether the old one was withdrawn."""
        check_item_state(item_state)
        with self._db.writing_fast() as c:
            withdrawn = withdraw is not None and c.execute(
                _WITHDRAW_DECISION, {"id": uuid_text(withdraw)}
            ).scalar() is not None
            decision = make(withdrawn)
            c.execute(_ADD_DECISION, _decision_row(decision, username, queue))
            c.execute(SET_ITEM_STATE, {"id": decision.item_id, "state": item_state,
                                       "error": None})
        return decision, withdrawn

    def withdraw(self, decision_id: UUID | str, *, item_state: ItemState | None = None,
                 item_error: str | None = None) -> bool:
        """Delete a decision only if the server has not answered it yet. With
        `item_state`, a withdrawn decision's item gets that state back in the same
        transaction (an undo on the GUI thread pays for one commit)."""
        check_item_state(item_state)
        with self._db.writing_fast() as c:
            item_id = c.execute(_WITHDRAW_DECISION, {"id": uuid_text(decision_id)}).scalar()
            if item_id is not None and item_state is not None:
                c.execute(SET_ITEM_STATE, {"id": item_id, "state": item_state,
                                           "error": item_error})
            return item_id is not None

    def pending(self, limit: int = 200, *, username: str | None = None) -> list[Decision]:
        """Decisions not yet answered by the server, oldest first."""
        stmt = select(OutboxRow.decision_json).where(OutboxRow.status == "pending")
        if username is not None:
            stmt = stmt.where(OutboxRow.username == username)
        with self._db.read() as s:
            texts = s.scalars(stmt.order_by(OutboxRow.seq).limit(limit)).all()
        return [Decision.model_validate_json(t) for t in texts]

    def record_results(self, answers: Iterable[Answer]) -> int:
        """Mark many decisions answered in one transaction: a sync round costs one fsync,
        so it holds the write lock (which the GUI thread's decision commit waits on)
        briefly. Returns how many were found."""
        return record_answers(self._db, OutboxRow, OutboxRow.decision_id, answers,
                              ANSWER_STATUSES, "decision")

    def count_pending(self, *, username: str | None = None) -> int:
        stmt = select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "pending")
        if username is not None:
            stmt = stmt.where(OutboxRow.username == username)
        with self._db.read() as s:
            return int(s.scalar(stmt) or 0)

    def recent(self, username: str, limit: int = 10, *,
               status: str | None = None) -> list[OutboxEntry]:
        """The reviewer's latest decisions, newest first (optionally of one status)."""
        stmt = select(OutboxRow).where(OutboxRow.username == username)
        if status is not None:
            stmt = stmt.where(OutboxRow.status == status)
        with self._db.read() as s:
            rows = s.scalars(stmt.order_by(OutboxRow.seq.desc()).limit(limit)).all()
        return [_outbox_entry(r) for r in rows]

    def entry(self, decision_id: UUID | str, *,
              username: str | None = None) -> OutboxEntry | None:
        """One decision of the outbox (pending or answered), by id."""
        stmt = select(OutboxRow).where(OutboxRow.decision_id == uuid_text(decision_id))
        if username is not None:
            stmt = stmt.where(OutboxRow.username == username)
        with self._db.read() as s:
            row = s.scalars(stmt).first()
        return _outbox_entry(row) if row is not None else None

    def latest_on(self, username: str, item_id: str) -> OutboxEntry | None:
        """The reviewer's newest decision on an item that the server did not reject."""
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.username == username, OutboxRow.item_id == item_id,
                   OutboxRow.status != "rejected")
            .order_by(OutboxRow.seq.desc())
            .limit(1)
        )
        with self._db.read() as s:
            row = s.scalars(stmt).first()
        return _outbox_entry(row) if row is not None else None

    def per_item_since(self, username: str, since: datetime) -> dict[str, int]:
        """How many decisions each item got from `username` since `since` (reads ids
        only: cheap enough for the GUI thread at the turn of the day)."""
        stmt = (
            select(OutboxRow.item_id, func.count())
            .where(OutboxRow.username == username, OutboxRow.added_at >= since)
            .group_by(OutboxRow.item_id)
        )
        with self._db.read() as s:
            return {item_id: int(n) for item_id, n in s.execute(stmt).all()}


def record_answers(db: StoreEngine, table: Any, key: Any, answers: Iterable[Answer],
                   allowed: tuple[str, ...], what: str) -> int:
    """Mark rows of an outbox table (`key` is its id column) answered, in one transaction;
    returns how many were found. Shared by the decision and verdict outboxes."""
    answers = list(answers)
    for _, status, _ in answers:
        if status not in allowed:
            raise ValueError(f"unknown {what} status {status!r}")
    if not answers:
        return 0
    now = utc_now()
    # One UPDATE per distinct answer (nearly always one: "accepted"), not one per row:
    # each SQLite call costs this thread a turn at the GIL.
    by_answer: dict[tuple[str, str | None], list[str]] = {}
    for row_id, status, reason in answers:
        by_answer.setdefault((status, reason), []).append(uuid_text(row_id))
    with db.writing() as s:
        return sum(_answer(s, table, key, ids, status, reason, now)
                   for (status, reason), ids in by_answer.items())


def _answer(s: Session, table: Any, key: Any, ids: list[str], status: str,
            reason: str | None, now: datetime) -> int:
    stmt = (
        update(table)
        .where(key.in_(ids))
        .values(status=status, reason=reason, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(s.execute(stmt).rowcount)  # type: ignore[attr-defined]


def _decision_row(decision: Decision, username: str, queue: str) -> dict[str, Any]:
    return {
        "decision_id": str(decision.decision_id),
        "username": username,
        "queue": queue,
        "item_id": decision.item_id,
        "status": "pending",
        "decision_json": decision.model_dump_json(),
        "added_at": utc_now(),
    }


def _outbox_entry(row: OutboxRow) -> OutboxEntry:
    return OutboxEntry(
        decision=Decision.model_validate_json(row.decision_json),
        status=row.status,  # type: ignore[arg-type]
        reason=row.reason,
        queue=row.queue,
    )


# The GUI thread's statements, built once (see `StoreEngine.writing_fast`).
_ADD_DECISION = sqlite_insert(OutboxRow).on_conflict_do_nothing(index_elements=["decision_id"])
_WITHDRAW_DECISION = (
    delete(OutboxRow)
    .where(OutboxRow.decision_id == bindparam("id"), OutboxRow.status == "pending")
    .returning(OutboxRow.item_id)
)
