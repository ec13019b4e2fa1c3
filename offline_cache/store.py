"""The local store: cached policy, leases and items, the decision outbox, the exposure ledger.

One SQLite file per workstation. Safe to call from several threads at once: every
method opens its own short Session and commits before returning. Writes that the GUI
thread makes (`outbox_add`, `set_item_state`) are a single tiny transaction each. It
never talks to the network and never imports Qt.

Writers of this process take turns on a lock before they begin, so none of them ever
waits in SQLite's busy handler, which sleeps in growing steps (1, 2, 5, 10 ms...) and
would put those steps into the reviewer's key-to-screen time. The decision commit runs
on a connection of its own with statements built once: it is on the GUI thread's path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, case, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from offline_cache.engine import create_store_engine
from offline_cache.models import (
    SCHEMA_VERSION,
    Base,
    ItemRow,
    LeaseRow,
    LedgerRow,
    OutboxRow,
    PolicyRow,
    SettingRow,
    utc_now,
)
from offline_cache.records import (
    ANSWER_STATUSES,
    AWAITING_STATES,
    ITEM_STATES,
    CachedItem,
    CachedLease,
    ItemState,
    OutboxEntry,
)
from reviewer.protocol import (
    Decision,
    ExposureEntry,
    Item,
    LeaseReply,
    PolicyReply,
    Taxonomy,
    display_media,
)

__all__ = ["CachedItem", "CachedLease", "LocalStore", "OutboxEntry"]


def _uuid_text(value: UUID | str) -> str:
    return str(value if isinstance(value, UUID) else UUID(str(value)))


class LocalStore:
    """The workstation's durable state, in one SQLite file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._engine, writer = create_store_engine(self.path)
        Base.metadata.create_all(writer)
        self._read = sessionmaker(bind=self._engine, expire_on_commit=False)
        self._write = sessionmaker(bind=writer, expire_on_commit=False)
        self._write_lock = threading.Lock()
        self._decisions: Connection = writer.connect()
        if self.get_setting("schema_version") is None:
            self.set_setting("schema_version", SCHEMA_VERSION)

    def close(self) -> None:
        with self._write_lock:
            self._decisions.close()
        self._engine.dispose()

    def _compiled(self, stmt: Any) -> tuple[str, tuple[Any, ...]]:
        """SQL text and positional parameters of a statement whose columns need no type
        conversion (plain text and numbers), ready for `exec_driver_sql`."""
        compiled = stmt.compile(dialect=self._engine.dialect)
        return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup)

    def checkpoint(self) -> None:
        """Copy committed pages from the WAL into the database file, without waiting for
        or blocking anyone (PASSIVE), so the WAL stays small. Call it off the GUI thread,
        outside any write: automatic checkpoints are off (see `offline_cache.engine`)."""
        with self._engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction, after this process's other writers (see the module doc)."""
        with self._write_lock, self._write.begin() as s:
            yield s

    @contextmanager
    def _writing_fast(self) -> Iterator[Connection]:
        """A write transaction on the GUI thread's own connection: no pool, no ORM."""
        with self._write_lock, self._decisions.begin():
            yield self._decisions

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    # --- settings ------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        with self._read() as s:
            return s.scalar(select(SettingRow.value).where(SettingRow.key == key))

    def set_setting(self, key: str, value: str) -> None:
        stmt = sqlite_insert(SettingRow).values(key=key, value=value)
        with self._writing() as s:
            s.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    # --- policy --------------------------------------------------------------------

    def save_policy(self, reply: PolicyReply) -> None:
        row = {"id": 1, "reply_json": reply.model_dump_json(), "saved_at": utc_now()}
        stmt = sqlite_insert(PolicyRow).values(**row)
        with self._writing() as s:
            s.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=row))

    def cached_policy(self) -> PolicyReply | None:
        with self._read() as s:
            text = s.scalar(select(PolicyRow.reply_json).where(PolicyRow.id == 1))
        return None if text is None else PolicyReply.model_validate_json(text)

    # --- leases and items ------------------------------------------------------------

    def save_lease(self, reply: LeaseReply, *, username: str) -> None:
        """Store a lease and its items in lease order.

        An item already cached under another lease (skipped earlier, or its lease ran
        out) is moved to this lease and awaits a decision again; saving the same lease
        twice keeps each item's state. The rows are built before the write lock is
        taken, and written with two statements, so the GUI thread's decision commit
        never waits long behind a new batch.
        """
        lease = {
            "lease_id": reply.lease_id,
            "queue": reply.queue,
            "username": username,
            "expires_at": reply.expires_at,
            "taxonomy_json": reply.taxonomy.model_dump_json(),
        }
        rows = [_item_row(reply.lease_id, position, item, username)
                for position, item in enumerate(reply.items)]
        # One multi-row statement, not executemany: a thread pays to take the GIL back
        # after each SQLite call, and another thread may be holding it. Compiled before
        # the lock is taken: building 50 rows' SQL is milliseconds of Python. A lease has
        # at most MAX_LEASE_ITEMS (100) items: 900 parameters, under SQLite's oldest
        # limit of 999.
        items = self._compiled(_upsert_items(rows)) if rows else None
        with self._writing() as s:
            s.connection().execute(_UPSERT_LEASE, lease)
            if items is not None:
                s.connection().exec_driver_sql(*items)

    def open_leases(self, queue: str | None, username: str) -> list[CachedLease]:
        """Leases held (not forgotten), oldest first, expired ones included: callers
        compare `expires_at` themselves. `queue=None` gives every queue's leases."""
        stmt = select(LeaseRow).where(LeaseRow.username == username).order_by(LeaseRow.seq)
        if queue is not None:
            stmt = stmt.where(LeaseRow.queue == queue)
        with self._read() as s:
            rows = s.scalars(stmt).all()
        return [
            CachedLease(
                lease_id=r.lease_id,
                queue=r.queue,
                expires_at=r.expires_at,
                taxonomy=Taxonomy.model_validate_json(r.taxonomy_json),
            )
            for r in rows
        ]

    def update_lease_expiry(self, lease_id: str, expires_at: datetime) -> None:
        with self._writing() as s:
            s.execute(
                update(LeaseRow).where(LeaseRow.lease_id == lease_id).values(expires_at=expires_at)
            )

    def undecided_items(self, queue: str, username: str) -> list[CachedItem]:
        """Items awaiting a decision (`undecided`, or `broken` with its error), in lease
        order: oldest lease first, then the server's order within the lease."""
        stmt = (
            select(ItemRow)
            .join(LeaseRow, LeaseRow.lease_id == ItemRow.lease_id)
            .where(
                ItemRow.queue == queue,
                ItemRow.username == username,
                ItemRow.state.in_(AWAITING_STATES),
            )
            .order_by(LeaseRow.seq, ItemRow.position)
        )
        with self._read() as s:
            return [self._cached_item(r) for r in s.scalars(stmt).all()]

    def cached_item(self, item_id: str) -> CachedItem | None:
        """One cached item whatever its state (e.g. to show a decided item again)."""
        with self._read() as s:
            row = s.get(ItemRow, item_id)
            return None if row is None else self._cached_item(row)

    @staticmethod
    def _cached_item(row: ItemRow) -> CachedItem:
        state: ItemState = row.state  # type: ignore[assignment]
        return CachedItem(
            item=Item.model_validate_json(row.item_json),
            lease_id=row.lease_id,
            state=state,
            error=row.error,
        )

    def set_item_state(self, item_id: str, state: ItemState, error: str | None = None) -> None:
        if state not in ITEM_STATES:
            raise ValueError(f"unknown item state {state!r}")
        with self._writing() as s:
            s.execute(
                update(ItemRow).where(ItemRow.item_id == item_id).values(state=state, error=error)
            )

    def forget_lease(self, lease_id: str) -> None:
        """Drop a lease and its cached items (the outbox keeps any decisions on them)."""
        with self._writing() as s:
            s.execute(delete(ItemRow).where(ItemRow.lease_id == lease_id))
            s.execute(delete(LeaseRow).where(LeaseRow.lease_id == lease_id))

    # --- outbox ----------------------------------------------------------------------

    def outbox_add(
        self,
        decision: Decision,
        *,
        username: str,
        queue: str,
        item_state: ItemState | None = None,
    ) -> None:
        """Commit a decision durably (one transaction, fsynced once). Adding the same
        decision twice keeps the first copy. With `item_state`, the decided item's state
        changes in the same transaction, so the GUI thread pays for a single commit."""
        if item_state is not None and item_state not in ITEM_STATES:
            raise ValueError(f"unknown item state {item_state!r}")
        row = _decision_row(decision, username, queue)
        with self._writing_fast() as c:
            c.execute(_ADD_DECISION, row)
            if item_state is not None:
                c.execute(_SET_ITEM_STATE, {"id": decision.item_id, "state": item_state,
                                            "error": None})

    def outbox_replace(
        self,
        withdraw: UUID | str | None,
        make: Callable[[bool], Decision],
        *,
        username: str,
        queue: str,
        item_state: ItemState,
    ) -> tuple[Decision, bool]:
        """Replace a decision in one transaction: `withdraw` leaves the outbox if the
        server has not answered it yet, then the decision `make(withdrawn)` builds is
        added and its item gets `item_state`. A crash can never keep neither of them.
        Returns the new decision and whether the old one was withdrawn."""
        if item_state not in ITEM_STATES:
            raise ValueError(f"unknown item state {item_state!r}")
        with self._writing_fast() as c:
            withdrawn = withdraw is not None and c.execute(
                _WITHDRAW_DECISION, {"id": _uuid_text(withdraw)}
            ).scalar() is not None
            decision = make(withdrawn)
            c.execute(_ADD_DECISION, _decision_row(decision, username, queue))
            c.execute(_SET_ITEM_STATE, {"id": decision.item_id, "state": item_state,
                                        "error": None})
        return decision, withdrawn

    def outbox_pending(self, limit: int = 200, *, username: str | None = None) -> list[Decision]:
        """Decisions not yet answered by the server, oldest first."""
        stmt = select(OutboxRow.decision_json).where(OutboxRow.status == "pending")
        if username is not None:
            stmt = stmt.where(OutboxRow.username == username)
        with self._read() as s:
            texts = s.scalars(stmt.order_by(OutboxRow.seq).limit(limit)).all()
        return [Decision.model_validate_json(t) for t in texts]

    def outbox_withdraw(
        self,
        decision_id: UUID | str,
        *,
        item_state: ItemState | None = None,
        item_error: str | None = None,
    ) -> bool:
        """Delete a decision only if the server has not answered it yet. With
        `item_state`, a withdrawn decision's item gets that state back in the same
        transaction (an undo on the GUI thread pays for one commit)."""
        if item_state is not None and item_state not in ITEM_STATES:
            raise ValueError(f"unknown item state {item_state!r}")
        with self._writing_fast() as c:
            item_id = c.execute(_WITHDRAW_DECISION, {"id": _uuid_text(decision_id)}).scalar()
            if item_id is not None and item_state is not None:
                c.execute(_SET_ITEM_STATE, {"id": item_id, "state": item_state,
                                            "error": item_error})
            return item_id is not None

    def outbox_record_result(
        self, decision_id: UUID | str, status: str, reason: str | None = None
    ) -> bool:
        """Mark a decision answered, keeping it for history; False if it is not here."""
        return self.outbox_record_results([(decision_id, status, reason)]) == 1

    def outbox_record_results(
        self, answers: Iterable[tuple[UUID | str, str, str | None]]
    ) -> int:
        """Mark many decisions answered in one transaction: a sync round costs one fsync,
        so it holds the write lock (which the GUI thread's decision commit waits on)
        briefly. Returns how many were found."""
        answers = list(answers)
        for _, status, _ in answers:
            if status not in ANSWER_STATUSES:
                raise ValueError(f"unknown decision status {status!r}")
        if not answers:
            return 0
        now = utc_now()
        # One UPDATE per distinct answer (nearly always one: "accepted"), not one per
        # decision: each SQLite call costs this thread a turn at the GIL.
        by_answer: dict[tuple[str, str | None], list[str]] = {}
        for decision_id, status, reason in answers:
            by_answer.setdefault((status, reason), []).append(_uuid_text(decision_id))
        found = 0
        with self._writing() as s:
            for (status, reason), ids in by_answer.items():
                stmt = (
                    update(OutboxRow)
                    .where(OutboxRow.decision_id.in_(ids))
                    .values(status=status, reason=reason, answered_at=now)
                    .execution_options(synchronize_session=False)
                )
                found += s.execute(stmt).rowcount  # type: ignore[attr-defined]
        return found

    def outbox_count_pending(self, *, username: str | None = None) -> int:
        stmt = select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "pending")
        if username is not None:
            stmt = stmt.where(OutboxRow.username == username)
        with self._read() as s:
            return int(s.scalar(stmt) or 0)

    def recent_decisions(
        self, username: str, limit: int = 10, *, status: str | None = None
    ) -> list[OutboxEntry]:
        """The reviewer's latest decisions, newest first (optionally of one status)."""
        stmt = select(OutboxRow).where(OutboxRow.username == username)
        if status is not None:
            stmt = stmt.where(OutboxRow.status == status)
        with self._read() as s:
            rows = s.scalars(stmt.order_by(OutboxRow.seq.desc()).limit(limit)).all()
        return [_outbox_entry(r) for r in rows]

    def outbox_entry(
        self, decision_id: UUID | str, *, username: str | None = None
    ) -> OutboxEntry | None:
        """One decision of the outbox (pending or answered), by id."""
        stmt = select(OutboxRow).where(OutboxRow.decision_id == _uuid_text(decision_id))
        if username is not None:
            stmt = stmt.where(OutboxRow.username == username)
        with self._read() as s:
            row = s.scalars(stmt).first()
        return _outbox_entry(row) if row is not None else None

    def latest_decision_on(self, username: str, item_id: str) -> OutboxEntry | None:
        """The reviewer's newest decision on an item that the server did not reject."""
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.username == username, OutboxRow.item_id == item_id,
                   OutboxRow.status != "rejected")
            .order_by(OutboxRow.seq.desc())
            .limit(1)
        )
        with self._read() as s:
            row = s.scalars(stmt).first()
        return _outbox_entry(row) if row is not None else None

    def decisions_per_item_since(self, username: str, since: datetime) -> dict[str, int]:
        """How many decisions each item got from `username` since `since` (reads ids
        only: cheap enough for the GUI thread at the turn of the day)."""
        stmt = (
            select(OutboxRow.item_id, func.count())
            .where(OutboxRow.username == username, OutboxRow.added_at >= since)
            .group_by(OutboxRow.item_id)
        )
        with self._read() as s:
            return {item_id: int(n) for item_id, n in s.execute(stmt).all()}

    # --- exposure ledger -------------------------------------------------------------

    def ledger_add(self, entry: ExposureEntry, *, username: str) -> None:
        stmt = sqlite_insert(LedgerRow).values(
            entry_id=str(entry.entry_id),
            username=username,
            item_id=entry.item_id,
            started_at=entry.started_at,
            duration_ms=entry.duration_ms,
            synced=False,
            entry_json=entry.model_dump_json(),
        )
        with self._writing() as s:
            s.execute(stmt.on_conflict_do_nothing(index_elements=["entry_id"]))

    def ledger_unsynced(
        self, limit: int = 500, *, username: str | None = None
    ) -> list[ExposureEntry]:
        stmt = select(LedgerRow.entry_json).where(LedgerRow.synced.is_(False))
        if username is not None:
            stmt = stmt.where(LedgerRow.username == username)
        with self._read() as s:
            texts = s.scalars(stmt.order_by(LedgerRow.seq).limit(limit)).all()
        return [ExposureEntry.model_validate_json(t) for t in texts]

    def ledger_mark_synced(self, ids: Iterable[UUID | str]) -> None:
        keys = [_uuid_text(i) for i in ids]
        if not keys:
            return
        with self._writing() as s:
            s.execute(update(LedgerRow).where(LedgerRow.entry_id.in_(keys)).values(synced=True))

    def ledger_seconds_on(self, day: date, username: str) -> float:
        """Reveal seconds of reveals that started on `day`, a local calendar day."""
        start = datetime.combine(day, time.min).astimezone()
        end = datetime.combine(date.fromordinal(day.toordinal() + 1), time.min).astimezone()
        stmt = select(func.coalesce(func.sum(LedgerRow.duration_ms), 0)).where(
            LedgerRow.username == username,
            LedgerRow.started_at >= start,
            LedgerRow.started_at < end,
        )
        with self._read() as s:
            return int(s.scalar(stmt) or 0) / 1000.0

    def ledger_reveals_per_item(self, username: str, item_ids: Iterable[str]) -> dict[str, int]:
        """How often each of `item_ids` was revealed (items never revealed are absent)."""
        ids = list(item_ids)
        if not ids:
            return {}
        stmt = (
            select(LedgerRow.item_id, func.count())
            .where(LedgerRow.username == username, LedgerRow.item_id.in_(ids))
            .group_by(LedgerRow.item_id)
        )
        with self._read() as s:
            return {item_id: int(n) for item_id, n in s.execute(stmt).all()}


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


def _item_row(lease_id: str, position: int, item: Item, username: str) -> dict[str, Any]:
    shown = display_media(item)
    return {
        "item_id": item.id,
        "lease_id": lease_id,
        "position": position,
        "queue": item.queue,
        "username": username,
        "state": "undecided",
        "error": None,
        "media_sha256": shown.sha256 if shown else None,
        "item_json": item.model_dump_json(),
    }


def _upsert_items(rows: list[dict[str, Any]]) -> Any:
    """Insert item rows; an item cached already moves to the new lease, and awaits a
    decision again only if it came from another lease."""
    stmt = sqlite_insert(ItemRow).values(rows)
    new, moved = stmt.excluded, ItemRow.lease_id != stmt.excluded.lease_id
    return stmt.on_conflict_do_update(
        index_elements=["item_id"],
        set_={
            "state": case((moved, "undecided"), else_=ItemRow.state),
            "error": case((moved, None), else_=ItemRow.error),
            "lease_id": new.lease_id,
            "position": new.position,
            "queue": new.queue,
            "username": new.username,
            "media_sha256": new.media_sha256,
            "item_json": new.item_json,
        },
    )


def _upsert_lease() -> Any:
    """Insert a lease, or renew the expiry and taxonomy of one saved before."""
    stmt = sqlite_insert(LeaseRow)
    return stmt.on_conflict_do_update(
        index_elements=["lease_id"],
        set_={"expires_at": stmt.excluded.expires_at,
              "taxonomy_json": stmt.excluded.taxonomy_json},
    )


_UPSERT_LEASE = _upsert_lease()

# The GUI thread's statements, built once (see `LocalStore._writing_fast`).
_ADD_DECISION = sqlite_insert(OutboxRow).on_conflict_do_nothing(index_elements=["decision_id"])
_SET_ITEM_STATE = (
    update(ItemRow)
    .where(ItemRow.item_id == bindparam("id"))
    .values(state=bindparam("state"), error=bindparam("error"))
)
_WITHDRAW_DECISION = (
    delete(OutboxRow)
    .where(OutboxRow.decision_id == bindparam("id"), OutboxRow.status == "pending")
    .returning(OutboxRow.item_id)
)


def _outbox_entry(row: OutboxRow) -> OutboxEntry:
    return OutboxEntry(
        decision=Decision.model_validate_json(row.decision_json),
        status=row.status,  # type: ignore[arg-type]
        reason=row.reason,
        queue=row.queue,
    )
