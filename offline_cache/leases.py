"""Leases and their cached items in the local store: lease order, item states, re-leasing.

A lease's items are written as one compiled multi-row upsert built before the write
lock is taken, so the GUI thread's decision commit never waits long behind a new batch.
`SET_ITEM_STATE` is built once here for the decision outbox, which changes a decided
item's state in the same transaction as the decision (on the GUI thread's connection).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from offline_cache.engine import StoreEngine
from offline_cache.models import ItemRow, LeaseRow
from offline_cache.records import AWAITING_STATES, ITEM_STATES, CachedItem, CachedLease, ItemState
from reviewer.protocol import Item, LeaseReply, Taxonomy, display_media


def check_item_state(state: str | None) -> None:
    if state is not None and state not in ITEM_STATES:
        raise ValueError(f"unknown item state {state!r}")


class Leases:
    """The leases a workstation holds and the items cached with them."""

    def __init__(self, db: StoreEngine) -> None:
        self._db = db

    def save(self, reply: LeaseReply, *, username: str) -> None:
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
        items = self._db.compiled(_upsert_items(rows)) if rows else None
        with self._db.writing() as s:
            s.connection().execute(_UPSERT_LEASE, lease)
            if items is not None:
                s.connection().exec_driver_sql(*items)

    def open(self, queue: str | None, username: str) -> list[CachedLease]:
        """Leases held (not forgotten), oldest first, expired ones included: callers
        compare `expires_at` themselves. `queue=None` gives every queue's leases."""
        stmt = select(LeaseRow).where(LeaseRow.username == username).order_by(LeaseRow.seq)
        if queue is not None:
            stmt = stmt.where(LeaseRow.queue == queue)
        with self._db.read() as s:
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

    def update_expiry(self, lease_id: str, expires_at: datetime) -> None:
        with self._db.writing() as s:
            s.execute(
                update(LeaseRow).where(LeaseRow.lease_id == lease_id).values(expires_at=expires_at)
            )

    def forget(self, lease_id: str) -> None:
        """Drop a lease and its cached items (the outbox keeps any decisions on them)."""
        with self._db.writing() as s:
            s.execute(delete(ItemRow).where(ItemRow.lease_id == lease_id))
            s.execute(delete(LeaseRow).where(LeaseRow.lease_id == lease_id))

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
        with self._db.read() as s:
            return [_cached_item(r) for r in s.scalars(stmt).all()]

    def cached_item(self, item_id: str) -> CachedItem | None:
        """One cached item whatever its state (e.g. to show a decided item again)."""
        with self._db.read() as s:
            row = s.get(ItemRow, item_id)
            return None if row is None else _cached_item(row)

    def set_item_state(self, item_id: str, state: ItemState, error: str | None = None) -> None:
        check_item_state(state)
        with self._db.writing() as s:
            s.execute(
                update(ItemRow).where(ItemRow.item_id == item_id).values(state=state, error=error)
            )


def _cached_item(row: ItemRow) -> CachedItem:
    state: ItemState = row.state  # type: ignore[assignment]
    return CachedItem(
        item=Item.model_validate_json(row.item_json),
        lease_id=row.lease_id,
        state=state,
        error=row.error,
    )


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

# Built once for the GUI thread's decision commit (see `offline_cache.outbox`).
SET_ITEM_STATE = (
    update(ItemRow)
    .where(ItemRow.item_id == bindparam("id"))
    .values(state=bindparam("state"), error=bindparam("error"))
)
