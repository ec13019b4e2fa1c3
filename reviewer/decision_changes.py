"""Changing a decision already made: what replaces it and how it stays on record.

A change of an unsent decision withdraws it and adds the replacement in one local
transaction; a change of a decision the server has (or may have: it is on the wire)
adds a decision that supersedes it, and both stay on record. Only one decision counts
per item, so a change of an older row applies to the item's latest decision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from uuid import UUID, uuid4

from offline_cache.records import CachedItem, ItemState, OutboxEntry
from offline_cache.store import LocalStore
from reviewer.api import CLIENT_NAME
from reviewer.builtin_actions import item_state_after
from reviewer.clock import utc_now
from reviewer.connectivity import InFlight
from reviewer.errors import InvalidAction
from reviewer.protocol import MAX_EVENTS_PER_DECISION, Decision
from reviewer.timeline import MAX_AT_MS


def counting_entry(store: LocalStore, username: str, decision_id: UUID | str) -> OutboxEntry:
    """The outbox entry a change of `decision_id` applies to: the item's latest decision
    (unless the chosen one was rejected, which stands alone)."""
    entry = store.outbox_entry(decision_id, username=username)
    if entry is None:
        raise InvalidAction("That decision is no longer in your history.")
    if entry.status != "rejected":
        entry = store.latest_decision_on(username, entry.decision.item_id) or entry
    return entry


def replace_decision(store: LocalStore, inflight: InFlight, username: str,
                     entry: OutboxEntry, action: str,
                     check: Callable[[str, Sequence[str]], None]) -> tuple[Decision, bool]:
    """Record `action` in place of `entry`'s decision; returns (the new decision, whether
    the old one was withdrawn rather than superseded)."""
    old = entry.decision
    check(action, old.labels)
    wanted = old.decision_id
    with inflight.lock:  # a decision on the wire is superseded, never withdrawn
        unsent = entry.status == "pending" and wanted not in inflight
        return store.outbox_replace(
            wanted if unsent else None,
            lambda withdrawn: replacement(
                old, action, old.supersedes if withdrawn else old.decision_id),
            username=username, queue=entry.queue, item_state=item_state_after(action))


def withdraw_unsent(store: LocalStore, inflight: InFlight, decision_id: UUID, *,
                    item_state: ItemState | None = None, item_error: str | None = None) -> bool:
    """Take a decision back from the outbox unless the server has (or may have) it; with
    `item_state`, its item gets that state back in the same transaction."""
    with inflight.lock:
        if decision_id in inflight:
            return False
        return bool(store.outbox_withdraw(decision_id, item_state=item_state,
                                          item_error=item_error))


def take_back(store: LocalStore, inflight: InFlight, old: Decision, cached: CachedItem) -> bool:
    """Undo `old`: withdrawn if unsent (its item gets `cached`'s state back in the same
    transaction), else its item only gets that state back and the next decision on it
    supersedes it. Returns whether it was withdrawn."""
    withdrawn = withdraw_unsent(store, inflight, old.decision_id, item_state=cached.state,
                                item_error=cached.error)
    if not withdrawn:
        store.set_item_state(old.item_id, cached.state, cached.error)
    return withdrawn


def replacement(old: Decision, action: str, supersedes: UUID | None) -> Decision:
    """A changed decision: same item, labels and timeline, new action, one more `decided`;
    the old decision's note is not carried over (a note belongs to the decision it was
    written for: the reviewer adds one again if it still applies)."""
    now = utc_now()
    last = old.events[-1].at_ms if old.events else 0
    later = last + int((now - old.decided_at) / timedelta(milliseconds=1))
    at_ms = min(MAX_AT_MS, max(last, later))
    events = [*old.events, {"at_ms": at_ms, "type": "decided", "action": action}]
    return Decision(decision_id=uuid4(), item_id=old.item_id, lease_id=old.lease_id,
                    action=action, labels=old.labels, note=None, supersedes=supersedes,
                    started_at=old.started_at, decided_at=now,
                    events=events[-MAX_EVENTS_PER_DECISION:], client=CLIENT_NAME)
