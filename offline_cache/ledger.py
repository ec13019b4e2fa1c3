"""The exposure ledger in the local store: one row per reveal, synced to the server later.

Caps hold offline because they are computed from this ledger and the cached policy
(invariant 4). An entry is idempotent by its id, and stays (marked synced) once the
server has it, so the day's sums never depend on the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, tzinfo
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from offline_cache.engine import StoreEngine
from offline_cache.models import LedgerRow
from offline_cache.outbox import uuid_text
from reviewer.protocol import ExposureEntry


class ExposureLedger:
    """The reveals of one store."""

    def __init__(self, db: StoreEngine) -> None:
        self._db = db

    def add(self, entry: ExposureEntry, *, username: str) -> None:
        stmt = sqlite_insert(LedgerRow).values(
            entry_id=str(entry.entry_id),
            username=username,
            item_id=entry.item_id,
            started_at=entry.started_at,
            # the reveal's cost to the daily budget: a region reveal weighs by its area
            duration_ms=round(entry.weighted_seconds * 1000),
            synced=False,
            entry_json=entry.model_dump_json(),
        )
        with self._db.writing() as s:
            s.execute(stmt.on_conflict_do_nothing(index_elements=["entry_id"]))

    def unsynced(self, limit: int = 500, *, username: str | None = None) -> list[ExposureEntry]:
        stmt = select(LedgerRow.entry_json).where(LedgerRow.synced.is_(False))
        if username is not None:
            stmt = stmt.where(LedgerRow.username == username)
        with self._db.read() as s:
            texts = s.scalars(stmt.order_by(LedgerRow.seq).limit(limit)).all()
        return [ExposureEntry.model_validate_json(t) for t in texts]

    def mark_synced(self, ids: Iterable[UUID | str]) -> None:
        keys = [uuid_text(i) for i in ids]
        if not keys:
            return
        with self._db.writing() as s:
            s.execute(update(LedgerRow).where(LedgerRow.entry_id.in_(keys)).values(synced=True))

    def seconds_on(self, day: date, username: str, zone: tzinfo | None = None) -> float:
        """Reveal seconds of reveals that started on `day`, a calendar day in `zone`
        (None: the computer's own zone)."""
        after = date.fromordinal(day.toordinal() + 1)
        if zone is None:
            start = datetime.combine(day, time.min).astimezone()
            end = datetime.combine(after, time.min).astimezone()
        else:
            start = datetime.combine(day, time.min, tzinfo=zone)
            end = datetime.combine(after, time.min, tzinfo=zone)
        stmt = select(func.coalesce(func.sum(LedgerRow.duration_ms), 0)).where(
            LedgerRow.username == username,
            LedgerRow.started_at >= start,
            LedgerRow.started_at < end,
        )
        with self._db.read() as s:
            return int(s.scalar(stmt) or 0) / 1000.0

    def reveals_per_item(self, username: str, item_ids: Iterable[str]) -> dict[str, int]:
        """How often each of `item_ids` was revealed (items never revealed are absent)."""
        ids = list(item_ids)
        if not ids:
            return {}
        stmt = (
            select(LedgerRow.item_id, func.count())
            .where(LedgerRow.username == username, LedgerRow.item_id.in_(ids))
            .group_by(LedgerRow.item_id)
        )
        with self._db.read() as s:
            return {item_id: int(n) for item_id, n in s.execute(stmt).all()}
