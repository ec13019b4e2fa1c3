"""The break log (schema 3): breaks the reviewer took, until the server has them.

Written once when a break is over (a small commit, off the key path), read and marked
by the sync thread; idempotent by `break_id` on both sides, so a break counts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from offline_cache.engine import StoreEngine
from offline_cache.models import BreakRow
from reviewer.protocol import BreakEntry


class BreakLog:
    def __init__(self, db: StoreEngine) -> None:
        self._db = db

    def add(self, entry: BreakEntry, *, username: str) -> None:
        stmt = sqlite_insert(BreakRow).values(
            break_id=str(entry.break_id), username=username,
            entry_json=entry.model_dump_json(), synced=False)
        with self._db.writing() as s:
            s.execute(stmt.on_conflict_do_nothing(index_elements=["break_id"]))

    def unsynced(self, limit: int = 200, *, username: str) -> list[BreakEntry]:
        stmt = (select(BreakRow.entry_json)
                .where(BreakRow.username == username, BreakRow.synced.is_(False))
                .order_by(BreakRow.seq).limit(limit))
        with self._db.read() as s:
            return [BreakEntry.model_validate_json(t) for t in s.scalars(stmt).all()]

    def mark_synced(self, ids: Iterable[UUID | str]) -> None:
        keys = [str(i) for i in ids]
        if keys:
            with self._db.writing() as s:
                s.execute(update(BreakRow).where(BreakRow.break_id.in_(keys))
                          .values(synced=True))
