"""The exposure ledger and the breaks the clients report, checked before they are stored.

The server trusts no client claim it can check (invariant 10): a reviewer's entry counts
only for an item the reviewer holds or held in a lease, starting within that lease's
window; a QA lead's entry (a replay reveal) only for an item that has a decision, not
before it was decided. The item's category and severity are the server's, not the
entry's. Each stored entry carries the time the server received it. Entries that fail
are not stored and are counted in the reply; they never fail the batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewer.protocol import (
    BreakBatch,
    BreakResults,
    ExposureBatch,
    ExposureEntry,
    ExposureResults,
    UserPublic,
)
from server.db import Database
from server.models import (
    BreakRecord,
    DecisionRecord,
    ExposureRecord,
    Item,
    Lease,
    LeaseItem,
    utcnow,
)
from server.services.wellness import effective_for

CLOCK_SLACK = timedelta(minutes=5)
"""How far a client's clock may be off: an entry may start this much before its lease
began, after it ended, or in the server's future."""

Window = tuple[datetime, datetime]
T = TypeVar("T")


def _once_more_on_conflict(write: Callable[[], T]) -> T:
    """Run `write` again when a concurrent request stored one of the same ids first (on
    PostgreSQL; SQLite's writer holds the lock from the start): the rerun sees them."""
    try:
        return write()
    except IntegrityError:
        return write()


def _lease_windows(session: Session, reviewer: str, item_ids: set[str]) -> dict[str, list[Window]]:
    """Per item, the windows in which `reviewer` held it: from the lease's start to its
    release or expiry, or to the reviewer's last decision on it when later (a late one)."""
    rows = session.execute(
        select(LeaseItem.item_id, Lease.created_at, Lease.expires_at, Lease.released_at)
        .join(Lease, Lease.id == LeaseItem.lease_id)
        .where(Lease.reviewer == reviewer, LeaseItem.item_id.in_(item_ids)))
    decided = dict(session.execute(
        select(DecisionRecord.item_id, func.max(DecisionRecord.decided_at))
        .where(DecisionRecord.reviewer == reviewer, DecisionRecord.item_id.in_(item_ids))
        .group_by(DecisionRecord.item_id)).all())
    windows: dict[str, list[Window]] = defaultdict(list)
    for item_id, start, expires, released in rows:
        end = min(expires, released) if released is not None else expires
        last = decided.get(item_id)
        windows[item_id].append((start, max(end, last) if last is not None else end))
    return windows


def _decided_since(session: Session, item_ids: set[str]) -> dict[str, datetime]:
    """Per item that has a decision, when it was first decided."""
    return dict(session.execute(
        select(DecisionRecord.item_id, func.min(DecisionRecord.decided_at))
        .where(DecisionRecord.item_id.in_(item_ids))
        .group_by(DecisionRecord.item_id)).all())


def _allowed(entry: ExposureEntry, windows: list[Window], decided: datetime | None,
             now: datetime) -> bool:
    start = entry.started_at
    if start > now + CLOCK_SLACK:
        return False
    if any(lo - CLOCK_SLACK <= start <= hi + CLOCK_SLACK for lo, hi in windows):
        return True
    return decided is not None and start >= decided - CLOCK_SLACK


def record_exposure(db: Database, batch: ExposureBatch, user: UserPublic) -> ExposureResults:
    """Store the entries the caller may report; count duplicates and rejections."""
    return _once_more_on_conflict(lambda: _record_exposure(db, batch, user))


def _record_exposure(db: Database, batch: ExposureBatch, user: UserPublic) -> ExposureResults:
    accepted = duplicate = rejected = 0
    item_ids = {entry.item_id for entry in batch.entries}
    now = utcnow()
    with db.writer() as session:
        windows = (_lease_windows(session, user.username, item_ids)
                   if "reviewer" in user.roles else {})
        decided = _decided_since(session, item_ids) if "qa_lead" in user.roles else {}
        items = {row.id: row for row in session.execute(
            select(Item.id, Item.category, Item.severity).where(Item.id.in_(item_ids)))}
        known = set(session.scalars(select(ExposureRecord.entry_id).where(
            ExposureRecord.entry_id.in_([str(e.entry_id) for e in batch.entries]))))
        for entry in batch.entries:
            entry_id = str(entry.entry_id)
            if entry_id in known:
                duplicate += 1
            elif entry.item_id not in items or not _allowed(
                    entry, windows.get(entry.item_id, []), decided.get(entry.item_id), now):
                rejected += 1
            else:
                item = items[entry.item_id]
                session.add(ExposureRecord(
                    entry_id=entry_id, reviewer=user.username, item_id=entry.item_id,
                    category=item.category, severity=item.severity, mode=entry.mode,
                    started_at=entry.started_at, duration_ms=entry.duration_ms,
                    area=entry.area, received_at=now))
                known.add(entry_id)
                accepted += 1
    return ExposureResults(accepted=accepted, duplicate=duplicate, rejected=rejected)


def record_breaks(db: Database, batch: BreakBatch, user: UserPublic) -> BreakResults:
    """Store the caller's breaks once each; the length they should have lasted is the
    caller's policy now, not a figure the client sends."""
    return _once_more_on_conflict(lambda: _record_breaks(db, batch, user))


def _record_breaks(db: Database, batch: BreakBatch, user: UserPublic) -> BreakResults:
    accepted = duplicate = rejected = 0
    now = utcnow()
    with db.writer() as session:
        effective, _scope = effective_for(session, user.username, user.teams)
        required = effective.policy.break_length_minutes * 60
        known = set(session.scalars(select(BreakRecord.break_id).where(
            BreakRecord.break_id.in_([str(e.break_id) for e in batch.entries]))))
        for entry in batch.entries:
            break_id = str(entry.break_id)
            if break_id in known:
                duplicate += 1
            elif entry.due_at > now + CLOCK_SLACK:
                rejected += 1
            else:
                session.add(BreakRecord(break_id=break_id, reviewer=user.username,
                                        due_at=entry.due_at, taken_seconds=entry.taken_seconds,
                                        required_seconds=required, received_at=now))
                known.add(break_id)
                accepted += 1
    return BreakResults(accepted=accepted, duplicate=duplicate, rejected=rejected)
