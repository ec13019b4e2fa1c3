"""The local store: one SQLite file per workstation, behind one facade, `LocalStore`.

`LocalStore` only composes the parts, one module per concern, and keeps the method
names callers have always used; new code may also use the parts directly:

- `db` (`offline_cache.engine`): the engine, the write lock, the GUI thread's own
  connection, passive checkpoints, `StoreFull` on a full disk;
- `settings` (`offline_cache.settings`): settings and the cached policy;
- `leases` (`offline_cache.leases`): leases and their cached items;
- `outbox` (`offline_cache.outbox`): the decision outbox;
- `verdicts` (`offline_cache.verdicts`): the QA verdict outbox (schema 2);
- `ledger` (`offline_cache.ledger`): the exposure ledger;
- schema versions and migrations (`offline_cache.migrations`) run once, at open.

Safe to call from several threads at once: every method opens its own short Session
(or takes the decision connection) and commits before returning. Writes that the GUI
thread makes (`outbox_add`, `outbox_withdraw`, `outbox_replace`, `verdict_add`) are a
single tiny transaction each on a connection of their own. It never talks to the
network and never imports Qt. Opening raises `StoreTooNew` for a store of a newer
workstation, `StoreUpgradeFailed` if a migration fails; every write may raise
`StoreFull` (`offline_cache.errors`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any
from uuid import UUID

from offline_cache.break_log import BreakLog
from offline_cache.engine import StoreEngine
from offline_cache.leases import Leases
from offline_cache.ledger import ExposureLedger
from offline_cache.migrations import open_schema
from offline_cache.outbox import Answer, DecisionOutbox
from offline_cache.records import (
    CachedItem,
    CachedLease,
    ItemState,
    OutboxEntry,
    VerdictEntry,
)
from offline_cache.settings import Settings
from offline_cache.verdicts import VerdictOutbox
from reviewer.protocol import (
    BreakEntry,
    Decision,
    ExposureEntry,
    LeaseReply,
    PolicyReply,
    QAVerdict,
)

__all__ = ["CachedItem", "CachedLease", "LocalStore", "OutboxEntry", "VerdictEntry"]


class LocalStore:
    """The workstation's durable state, in one SQLite file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.db = StoreEngine(self.path)
        try:
            self.schema_version = open_schema(self.db)
        except BaseException:
            self.db.close()
            raise
        self._engine = self.db.engine  # the SQLAlchemy engine, for tests that watch SQL
        self.settings = Settings(self.db)
        self.leases = Leases(self.db)
        self.outbox = DecisionOutbox(self.db)
        self.verdicts = VerdictOutbox(self.db)
        self.ledger = ExposureLedger(self.db)
        self.breaks = BreakLog(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    def checkpoint(self) -> None:
        """Passive WAL checkpoint; off the GUI thread (see `StoreEngine.checkpoint`)."""
        self.db.checkpoint()

    # --- settings and policy ---------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        return self.settings.get(key)

    def set_setting(self, key: str, value: str) -> None:
        self.settings.set(key, value)

    def save_policy(self, reply: PolicyReply) -> None:
        self.settings.save_policy(reply)

    def cached_policy(self) -> PolicyReply | None:
        return self.settings.cached_policy()

    # --- leases and items (see `Leases`) -----------------------------------------------

    def save_lease(self, reply: LeaseReply, *, username: str) -> None:
        self.leases.save(reply, username=username)

    def open_leases(self, queue: str | None, username: str) -> list[CachedLease]:
        return self.leases.open(queue, username)

    def update_lease_expiry(self, lease_id: str, expires_at: datetime) -> None:
        self.leases.update_expiry(lease_id, expires_at)

    def forget_lease(self, lease_id: str) -> None:
        self.leases.forget(lease_id)

    def undecided_items(self, queue: str, username: str) -> list[CachedItem]:
        return self.leases.undecided_items(queue, username)

    def cached_item(self, item_id: str) -> CachedItem | None:
        return self.leases.cached_item(item_id)

    def set_item_state(self, item_id: str, state: ItemState, error: str | None = None) -> None:
        self.leases.set_item_state(item_id, state, error)

    # --- decision outbox (see `DecisionOutbox`) -----------------------------------------

    def outbox_add(self, decision: Decision, *, username: str, queue: str,
                   item_state: ItemState | None = None) -> None:
        self.outbox.add(decision, username=username, queue=queue, item_state=item_state)

    def outbox_replace(self, withdraw: UUID | str | None, make: Callable[[bool], Decision], *,
                       username: str, queue: str, item_state: ItemState
                       ) -> tuple[Decision, bool]:
        return self.outbox.replace(withdraw, make, username=username, queue=queue,
                                   item_state=item_state)

    def outbox_withdraw(self, decision_id: UUID | str, *, item_state: ItemState | None = None,
                        item_error: str | None = None) -> bool:
        return self.outbox.withdraw(decision_id, item_state=item_state, item_error=item_error)

    def outbox_pending(self, limit: int = 200, *, username: str | None = None) -> list[Decision]:
        return self.outbox.pending(limit, username=username)

    def outbox_record_result(self, decision_id: UUID | str, status: str,
                             reason: str | None = None) -> bool:
        """Mark a decision answered, keeping it for history; False if it is not here."""
        return self.outbox.record_results([(decision_id, status, reason)]) == 1

    def outbox_record_results(self, answers: Iterable[Answer]) -> int:
        return self.outbox.record_results(answers)

    def outbox_count_pending(self, *, username: str | None = None) -> int:
        return self.outbox.count_pending(username=username)

    def recent_decisions(self, username: str, limit: int = 10, *,
                         status: str | None = None) -> list[OutboxEntry]:
        return self.outbox.recent(username, limit, status=status)

    def outbox_entry(self, decision_id: UUID | str, *,
                     username: str | None = None) -> OutboxEntry | None:
        return self.outbox.entry(decision_id, username=username)

    def latest_decision_on(self, username: str, item_id: str) -> OutboxEntry | None:
        return self.outbox.latest_on(username, item_id)

    def decisions_per_item_since(self, username: str, since: datetime) -> dict[str, int]:
        return self.outbox.per_item_since(username, since)

    # --- verdict outbox (see `VerdictOutbox`) -------------------------------------------

    def verdict_add(self, verdict: QAVerdict, *, username: str) -> None:
        self.verdicts.add(verdict, username=username)

    def verdicts_pending(self, limit: int = 200, *, username: str) -> list[QAVerdict]:
        return self.verdicts.pending(limit, username=username)

    def verdict_record_results(self, answers: Iterable[Answer]) -> int:
        return self.verdicts.record_results(answers)

    def verdicts_recent(self, username: str, limit: int = 10) -> list[VerdictEntry]:
        return self.verdicts.recent(username, limit)

    def verdict_count_pending(self, *, username: str) -> int:
        return self.verdicts.count_pending(username=username)

    # --- exposure ledger (see `ExposureLedger`) -----------------------------------------

    def ledger_add(self, entry: ExposureEntry, *, username: str) -> None:
        self.ledger.add(entry, username=username)

    def ledger_unsynced(self, limit: int = 500, *,
                        username: str | None = None) -> list[ExposureEntry]:
        return self.ledger.unsynced(limit, username=username)

    def ledger_mark_synced(self, ids: Iterable[UUID | str]) -> None:
        self.ledger.mark_synced(ids)

    # --- break log ------------------------------------------------------------------

    def break_add(self, entry: BreakEntry, *, username: str) -> None:
        self.breaks.add(entry, username=username)

    def breaks_unsynced(self, limit: int = 200, *, username: str) -> list[BreakEntry]:
        return self.breaks.unsynced(limit, username=username)

    def breaks_mark_synced(self, ids: Iterable[UUID | str]) -> None:
        self.breaks.mark_synced(ids)

    def ledger_seconds_on(self, day: date, username: str, zone: tzinfo | None = None) -> float:
        return self.ledger.seconds_on(day, username, zone)

    def ledger_reveals_per_item(self, username: str, item_ids: Iterable[str]) -> dict[str, int]:
        return self.ledger.reveals_per_item(username, item_ids)
