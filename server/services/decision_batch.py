"""A decision batch judged in one pass and written with a few multi-row statements.

Everything the batch refers to (items, leases, lease-item assignments, superseded
decisions, ids already stored) is loaded with a handful of `IN (...)` queries, as plain
rows of the columns the rules read (no ORM objects: a batch is every sync's request, and
building entities cost more than the queries); each
decision is then judged alone in Python by the rules of `server.services.decisions`,
against a view of the store that includes the decisions before it in the same batch
(two decisions on one item, a decision superseding one earlier in the batch). Accepted
and late rows go in with one `INSERT ... ON CONFLICT DO NOTHING RETURNING`; an id a
concurrent request stored first comes back missing, and the batch is judged again, in a
new transaction, with that id known (it then answers `duplicate`). Item state changes are
a few UPDATEs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from reviewer.protocol import Decision, DecisionResult
from server.models import DecisionRecord, Item, Lease, LeaseItem, Queue, utcnow
from server.services.escalation import escalate, withdraw_superseded
from server.services.leasing import lease_is_live
from server.services.shared_items import DEFAULT_OVERLAP_K, OVERLAP
from server.services.taxonomy import SKIP, allowed_actions, allowed_labels

_ITEM_TABLE = Item.__table__
_CHUNK = 500  # ids per IN (...): well under every driver's parameter limit
_SEEN = (DecisionRecord.decision_id, DecisionRecord.reviewer, DecisionRecord.item_id)


# The batch's lookups, built once (SQLAlchemy memoizes a statement's cache key on the
# object; one made per request is built and keyed again every time).
_IDS, _PAIRS = bindparam("ids", expanding=True), bindparam("pairs", expanding=True)
_STORED = select(DecisionRecord.decision_id).where(DecisionRecord.decision_id.in_(_IDS))
_ITEM_COLUMNS = (Item.id, Item.queue, Item.share, Item.state, Item.lease_id, Item.overlap_k)
_LEASE_COLUMNS = (Lease.id, Lease.reviewer, Lease.created_at, Lease.expires_at,
                  Lease.released_at)
# Each (lease, item) pair of the batch with its item, lease and queue: one query.
_ASSIGNED = (select(LeaseItem.share, *_ITEM_COLUMNS, *_LEASE_COLUMNS, Queue.taxonomy)
             .join_from(LeaseItem, Item, Item.id == LeaseItem.item_id)
             .join(Lease, Lease.id == LeaseItem.lease_id)
             .join(Queue, Queue.name == Item.queue)
             .where(tuple_(LeaseItem.lease_id, LeaseItem.item_id).in_(_PAIRS)))
# Items of pairs that were never assigned (to be rejected, saying why): rare.
_ITEMS = select(*_ITEM_COLUMNS).where(Item.id.in_(_IDS))


class _ItemRow(NamedTuple):
    id: str
    queue: str
    share: str | None
    state: str
    lease_id: str | None
    overlap_k: int | None


class _LeaseRow(NamedTuple):
    id: str
    reviewer: str
    created_at: datetime
    expires_at: datetime
    released_at: datetime | None


class _QueueRow(NamedTuple):
    name: str
    taxonomy: dict


class Rejected(Exception):
    """A decision the server refuses to record; the message is the reason."""


def _chunks(values: set) -> list[list]:
    ordered = sorted(values, key=str)
    return [ordered[i:i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


@dataclass
class _Known:
    """The store as the batch sees it, updated as each decision is judged."""

    items: dict[str, _ItemRow]
    leases: dict[str, _LeaseRow]  # the leases of assigned pairs
    assigned: dict[tuple[str, str], str | None]  # (lease, item) -> share
    queues: dict[str, _QueueRow]
    stored: set[str]  # decision ids already stored (or stored earlier in the batch)
    earlier: dict[str, tuple[str, str]]  # decision id -> (reviewer, item)
    replaced_by: dict[str, str]  # decision id -> the decision superseding it
    others: dict[str, int]  # overlap item -> other reviewers who decided it on time
    state: dict[str, str] = field(default_factory=dict)  # item -> state after the batch
    holder: dict[str, str | None] = field(default_factory=dict)  # item -> lease_id


def _load(session: Session, decisions: list[Decision], reviewer: str) -> _Known:
    ids = {str(d.decision_id) for d in decisions}
    sup = {str(d.supersedes) for d in decisions if d.supersedes is not None}
    stored: set[str] = set()
    earlier: dict[str, tuple[str, str]] = {}
    replaced_by: dict[str, str] = {}
    items: dict[str, _ItemRow] = {}
    leases: dict[str, _LeaseRow] = {}
    queues: dict[str, _QueueRow] = {}
    connection = session.connection()
    assigned: dict[tuple[str, str], str | None] = {}
    width = len(_ITEM_COLUMNS)
    for chunk in _chunks(ids):
        stored |= set(connection.execute(_STORED, {"ids": chunk}).scalars())
    for chunk in _chunks(sup):
        earlier |= {d: (r, i) for d, r, i in session.execute(
            select(*_SEEN).where(DecisionRecord.decision_id.in_(chunk)))}
        replaced_by |= {s: d for s, d in session.execute(
            select(DecisionRecord.supersedes, DecisionRecord.decision_id)
            .where(DecisionRecord.supersedes.in_(chunk)))}
    pairs = {(d.lease_id, d.item_id) for d in decisions}
    for chunk in _chunks(pairs):
        for share, *columns, taxonomy in connection.execute(_ASSIGNED, {"pairs": chunk}):
            item, lease = _ItemRow(*columns[:width]), _LeaseRow(*columns[width:])
            items[item.id], leases[lease.id] = item, lease
            queues[item.queue] = _QueueRow(item.queue, taxonomy)
            assigned[(lease.id, item.id)] = share
    missing = {d.item_id for d in decisions} - items.keys()
    for chunk in _chunks(missing):
        items |= {row.id: _ItemRow(*row) for row in connection.execute(_ITEMS, {"ids": chunk})}
    overlap = {i.id for i in items.values() if i.share == OVERLAP}
    others: dict[str, int] = {}
    for chunk in _chunks(overlap):
        others |= dict(session.execute(  # type: ignore[arg-type]
            select(DecisionRecord.item_id, func.count(func.distinct(DecisionRecord.reviewer)))
            .where(DecisionRecord.item_id.in_(chunk), DecisionRecord.reviewer != reviewer,
                   DecisionRecord.status == "accepted", DecisionRecord.action != SKIP)
            .group_by(DecisionRecord.item_id)).all())
    return _Known(items, leases, assigned, queues, stored, earlier, replaced_by, others,
                  {i.id: i.state for i in items.values()},
                  {i.id: i.lease_id for i in items.values()})


def _check(known: _Known, decision: Decision, reviewer: str, now: datetime) -> _ItemRow:
    from server.services.decisions import check_times  # one rule, kept there

    item = known.items.get(decision.item_id)
    lease = known.leases.get(decision.lease_id)
    if item is None:
        raise Rejected(f"unknown item {decision.item_id}")
    if (lease is None or lease.reviewer != reviewer
            or (lease.id, item.id) not in known.assigned):
        raise Rejected("the item was never leased to you under this lease")
    check_times(decision, lease, now)
    queue = known.queues[item.queue]
    if decision.action not in allowed_actions(queue):
        raise Rejected(f"action {decision.action!r} is not in the taxonomy of {queue.name}")
    unknown = set(decision.labels) - allowed_labels(queue)
    if unknown:
        raise Rejected(f"labels not in the taxonomy of {queue.name}: {sorted(unknown)}")
    if decision.supersedes is not None:
        sup = str(decision.supersedes)
        if known.earlier.get(sup) != (reviewer, item.id):
            raise Rejected("supersedes names no earlier decision of yours on this item")
        if sup in known.replaced_by:
            raise Rejected("the decision it supersedes was already replaced by "
                           f"{known.replaced_by[sup]}")
    return item


def _status(known: _Known, item: _ItemRow, lease: _LeaseRow, decision: Decision,
            reviewer: str, now: datetime) -> str:
    """`accepted` or `late`, changing the batch's view of the item as `_apply` and
    `shared_status` change the item."""
    live = lease_is_live(lease, now)
    if known.assigned[(lease.id, item.id)] is not None:  # a shared assignment
        if not live:
            return "late"
        if (item.share == OVERLAP and decision.action != SKIP
                and known.state[item.id] == "pending"
                and known.others.get(item.id, 0) + 1 >= (item.overlap_k or DEFAULT_OVERLAP_K)):
            known.state[item.id] = "decided"
        return "accepted"
    if not live or known.holder[item.id] != lease.id:
        return "late"
    if decision.action == SKIP:
        known.state[item.id], known.holder[item.id] = "pending", None
    else:
        known.state[item.id] = "decided"
    return "accepted"


def _judge(known: _Known, decisions: list[Decision], reviewer: str, now: datetime,
           ) -> tuple[list[DecisionResult], list[dict]]:
    from server.services.decisions import handle_ms

    results, rows = [], []
    for decision in decisions:
        did = str(decision.decision_id)
        if did in known.stored:
            results.append(DecisionResult(decision_id=decision.decision_id,
                                          status="duplicate"))
            continue
        try:
            item = _check(known, decision, reviewer, now)
        except Rejected as exc:
            results.append(DecisionResult(decision_id=decision.decision_id,
                                          status="rejected", reason=str(exc)[:500]))
            continue
        lease = known.leases[decision.lease_id]
        status = _status(known, item, lease, decision, reviewer, now)
        sup = str(decision.supersedes) if decision.supersedes else None
        known.stored.add(did)
        known.earlier[did] = (reviewer, item.id)
        if sup is not None:
            known.replaced_by[sup] = did
        rows.append(dict(
            decision_id=did, item_id=item.id, lease_id=lease.id, reviewer=reviewer,
            queue=item.queue, action=decision.action, labels=list(decision.labels),
            note=decision.note, supersedes=sup, status=status,
            started_at=decision.started_at, decided_at=decision.decided_at, received_at=now,
            events=[e.model_dump(mode="json", exclude_none=True) for e in decision.events],
            client=decision.client, handle_ms=handle_ms(decision),
            reveals=sum(e.type == "reveal_start" for e in decision.events)))
        results.append(DecisionResult(decision_id=decision.decision_id, status=status))
    return results, rows


def _insert(session: Session, rows: list[dict]) -> set[str]:
    """Insert the rows; return the ids stored (a missing one a concurrent request took)."""
    if not rows:
        return set()
    connection = session.connection()
    # executemany of one cached statement: SQLAlchemy sends it as multi-row INSERTs
    # ("insertmanyvalues"), RETURNING the ids actually stored.
    statement = _STORE[connection.dialect.name == "postgresql"]
    return set(connection.execute(statement, rows).scalars())


# Built once per dialect (SQLite, PostgreSQL): every sync runs it.
_STORE = tuple(insert(DecisionRecord.__table__)
               .on_conflict_do_nothing(index_elements=["decision_id"])
               .returning(DecisionRecord.__table__.c.decision_id)
               for insert in (sqlite_insert, pg_insert))


def _write_items(session: Session, known: _Known) -> None:
    """A few UPDATEs: the items whose state or holder changed, grouped by the change."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for item in known.items.values():
        state, holder = known.state[item.id], known.holder[item.id]
        if state != item.state or holder != item.lease_id:
            groups.setdefault((state, holder is None and item.lease_id is not None),
                              []).append(item.id)
    for (state, cleared), ids in groups.items():
        values: dict[str, object] = {"state": state}
        if cleared:
            values |= {"lease_id": None, "lease_expires_at": None}
        session.connection().execute(_ITEM_TABLE.update().where(
            _ITEM_TABLE.c.id.in_(ids)).values(**values))


class Collided(Exception):
    """Concurrent requests stored some of the batch's decision ids first: the batch was
    judged with a stale view. Roll the transaction back and judge it again, these ids
    known (they then answer `duplicate`)."""

    def __init__(self, taken: set[str]) -> None:
        super().__init__(f"{len(taken)} decision ids stored concurrently")
        self.taken = taken


def record_batch(session: Session, decisions: list[Decision], reviewer: str,
                 taken: set[str] | frozenset[str] = frozenset()) -> list[DecisionResult]:
    """Judge and write the batch in the caller's transaction, `taken` ids counted as
    stored; raises `Collided` when concurrent requests stored some of its ids first (no
    savepoint around each try: two round trips fewer for every batch, and a collision is
    rare)."""
    now = utcnow()
    known = _load(session, decisions, reviewer)
    known.stored |= taken
    results, rows = _judge(known, decisions, reviewer, now)
    stored = _insert(session, rows)
    collided = {row["decision_id"] for row in rows} - stored
    if collided:
        raise Collided(collided)
    _write_items(session, known)
    _escalations(session, known, rows)
    return results


def _escalations(session: Session, known: _Known, rows: list[dict]) -> None:
    """Per accepted decision on an unshared item, in batch order: withdraw the copy a
    superseded `escalate` made, and escalate (both rare: one or two statements each)."""
    for row in rows:
        if row["status"] != "accepted" or known.items[row["item_id"]].share is not None:
            continue
        if row["supersedes"] is None and row["action"] != "escalate":
            continue
        record = DecisionRecord(**row)
        withdraw_superseded(session, record)
        item = session.get(Item, row["item_id"])  # the whole item: its copy takes it all
        assert item is not None  # loaded above, in this transaction
        escalate(session, item, record)
    session.flush()
