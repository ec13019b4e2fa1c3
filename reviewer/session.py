"""A review session: the state machine over one queue's cached items.

Methods marked [G] are safe on the GUI thread: no network, at most a small SQLite
commit or two. Methods marked [W] download, decrypt or lease and belong on a worker.
A decision is committed to the outbox before the session moves on, so a killed
process loses nothing; `decide` refuses to run twice at once (Anki's "transition"
state), so a held or repeated key cannot answer twice. It also refuses decisions while
a break is due and on new items past today's item cap (reviewer/pacing.py), from the
cached policy and the local outbox, so both hold offline.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from reviewer.api import CLIENT_NAME, ApiClient
from reviewer.errors import ExposureCapReached, InvalidAction, MediaRejected, NothingToDecide
from reviewer.exposure_tally import ExposureTally
from reviewer.leasing import LeaseKeeper, with_builtin_actions
from reviewer.pacing import BreakDue, Clock, DailyItemCount, WorkTimer
from reviewer.protocol import Decision, ExposureEntry, RevealMode, Taxonomy, WellnessPolicy
from reviewer.sync import Connectivity, InFlight
from reviewer.timeline import ItemTimeline
from wellness.exposure import ExposureBudget, RevealDecision

BUILTIN_ACTIONS = ("escalate", "skip")
UNDO_DEPTH = 50


@dataclass(frozen=True)
class SessionStatus:
    online: bool
    pending_sync: int
    lease_seconds_left: int | None
    items_left: int


@dataclass
class _Done:
    """A decision of this session that undo can take back."""

    decision: Decision
    cached: object  # offline_cache CachedItem
    timeline: ItemTimeline


def _with_state(cached, state: str, error: str | None = None):
    """A copy of a CachedItem with another state (works for frozen dataclasses too)."""
    if dataclasses.is_dataclass(cached):
        return dataclasses.replace(cached, state=state, error=error)
    cached.state, cached.error = state, error
    return cached


class ReviewSession:
    """Decide, escalate, skip, undo and change decisions on one queue."""

    def __init__(self, *, queue: str, username: str, store, vault, api: ApiClient | None,
                 taxonomy: Taxonomy, policy: WellnessPolicy,
                 inflight: InFlight | None = None, connectivity: Connectivity | None = None,
                 on_decided: Callable[[], None] | None = None,
                 on_lease: Callable[[object], None] | None = None,
                 clock: Clock = time.monotonic) -> None:
        self.queue = queue
        self.username = username
        self.store = store
        self.taxonomy = with_builtin_actions(taxonomy)
        self.policy = policy
        self._inflight = inflight or InFlight()
        self._connectivity = connectivity or Connectivity()
        self._on_decided = on_decided
        self._leases = LeaseKeeper(self, store, vault, api, on_lease=on_lease)
        self._lock = threading.RLock()
        self._transition = threading.Lock()
        self._items: list = []  # CachedItem in queue order; [0] is current
        self._known: dict[str, object] = {}
        self._done: set[str] = {d.item_id for d in
                                store.outbox_pending(limit=10_000, username=username)}
        self._undo: list[_Done] = []
        self._timelines: dict[str, ItemTimeline] = {}
        self._supersedes: dict[str, UUID] = {}
        self._items_today = DailyItemCount(store, username, policy)
        self._items_today.count()  # read today's outbox here (a worker), not on the GUI thread
        self._exposure = ExposureTally(store, username)
        # The break schedule: break_due(), begin_break(), break_seconds_left(),
        # end_break(); its `clock` (monotonic) may be swapped by tests.
        self.breaks = WorkTimer(policy, clock)
        self.reload()

    # --- the queue ----------------------------------------------------------------------

    def reload(self) -> None:
        """Merge the store's undecided items into the session order, keeping it stable."""
        fresh = self.store.undecided_items(self.queue, self.username)
        with self._lock:
            by_id = {c.item.id: c for c in fresh}
            self._items = [by_id.get(c.item.id, c) for c in self._items]
            present = {c.item.id for c in self._items}
            for cached in fresh:
                if cached.item.id not in present and cached.item.id not in self._done:
                    self._items.append(cached)
            self._known.update(by_id)
        self._exposure.load(by_id.keys())  # their reveal counts: read here, not on a key

    def _replace(self, cached) -> None:
        with self._lock:
            self._known[cached.item.id] = cached
            self._items = [cached if c.item.id == cached.item.id else c for c in self._items]

    def items(self) -> list:
        """[G] Every item still to decide, in order (current first)."""
        with self._lock:
            return list(self._items)

    def ready_count(self) -> int:
        with self._lock:
            return sum(1 for c in self._items if c.state == "undecided")

    # [W] -------------------------------------------------------------------------------

    def fill(self, min_ready: int = 10,
             on_progress: Callable[[int, int], None] | None = None) -> int:
        """[W] Lease more when fewer than `min_ready` remain, fetch their media; returns
        the number of undecided items ready. Media failures mark items broken."""
        if self.ready_count() < min_ready and self._items_today.reached() is None:
            self._leases.lease_more(max(min_ready * 2, 20))
        self.reload()
        self._leases.download_media(self.items(), on_progress)
        return self.ready_count()

    def media_bytes(self, item_id: str) -> bytes:
        """[W] The decrypted media of an item; MediaRejected with the reason if broken."""
        with self._lock:
            cached = self._known.get(item_id)
        if cached is None:
            raise MediaRejected("This item is not in the current session.")
        if cached.state == "broken":
            raise MediaRejected(cached.error or MediaRejected.default_message)
        return self._leases.media_for(cached)

    def mark_broken(self, item_id: str, reason: str) -> None:
        """[G] Record that an item's media cannot be shown; it stays in the queue order."""
        with self._lock:
            cached = self._known.get(item_id)
        self.store.set_item_state(item_id, "broken", reason)
        if cached is not None:
            self._replace(_with_state(cached, "broken", reason))

    # [G] -------------------------------------------------------------------------------

    def current(self):
        """[G] The item on screen, or None when the queue is empty."""
        with self._lock:
            return self._items[0] if self._items else None

    def upcoming(self, n: int) -> list:
        """[G] The next `n` items after the current one (to prefetch and prepare)."""
        with self._lock:
            return list(self._items[1:1 + max(0, n)])

    def _timeline(self, item_id: str) -> ItemTimeline:
        with self._lock:
            return self._timelines.setdefault(item_id, ItemTimeline())

    def mark_shown(self) -> None:
        """[G] The current item is on screen: start its clock (once)."""
        cached = self.current()
        if cached is not None:
            self._timeline(cached.item.id).show()
            self.breaks.touch()

    # --- reveal -------------------------------------------------------------------------

    def reveal_start(self, mode: RevealMode = "hold") -> RevealDecision:
        """[G] Ask to show the unprotected content; refused beyond the exposure budget,
        computed from the cached policy and the local ledger so it holds offline."""
        cached = self.current()
        if cached is None:
            return RevealDecision(allowed=False, reason="There is no item to reveal.",
                                  max_seconds=0.0)
        if self.breaks.on_break:
            return RevealDecision(allowed=False, reason="You are on a break.", max_seconds=0.0)
        timeline = self._timeline(cached.item.id)
        verdict = ExposureBudget(self.policy, self._exposure.seconds_today(),
                                 self._exposure.reveals(cached.item.id)).check()
        if verdict.allowed:
            timeline.start_reveal(mode)
        return verdict

    def reveal_end(self) -> ExposureEntry | None:
        """[G] Re-protect; records the reveal's duration in the timeline and the ledger."""
        cached = self.current()
        return self._end_reveal(cached) if cached is not None else None

    def _end_reveal(self, cached) -> ExposureEntry | None:
        with self._lock:
            timeline = self._timelines.get(cached.item.id)
        finished = timeline.end_reveal() if timeline else None
        if finished is None:
            return None
        entry = ExposureEntry(entry_id=uuid4(), item_id=cached.item.id,
                              category=cached.item.category, severity=cached.item.severity,
                              mode=finished.mode, started_at=finished.started_at,
                              duration_ms=finished.duration_ms)
        self.store.ledger_add(entry, username=self.username)
        self._exposure.add(entry)
        return entry

    # --- decisions ----------------------------------------------------------------------

    def _check(self, action: str, labels: Sequence[str]) -> None:
        actions = {a.id for a in self.taxonomy.actions} | set(BUILTIN_ACTIONS)
        if action not in actions:
            raise InvalidAction(f"“{action}” is not an action of this queue.")
        known_labels = {label.id for label in self.taxonomy.labels}
        unknown = [label for label in labels if label not in known_labels]
        if unknown:
            raise InvalidAction(f"“{unknown[0]}” is not a label of this queue.")

    def decide(self, action: str, labels: Sequence[str] = (), note: str | None = None
               ) -> Decision:
        """[G] Record a decision on the current item and move on. The decision is in the
        outbox (committed durably) when this returns."""
        if not self._transition.acquire(blocking=False):
            raise NothingToDecide("A decision is already being recorded.")
        try:
            cached = self.current()
            if cached is None:
                raise NothingToDecide()
            self._check(action, labels)
            self._check_pace(cached.item.id)
            self._end_reveal(cached)
            timeline = self._timeline(cached.item.id)
            if note:
                timeline.add("note")
            timeline.add("decided", action=action)
            with self._lock:
                supersedes = self._supersedes.pop(cached.item.id, None)
            decision = Decision(
                decision_id=uuid4(), item_id=cached.item.id, lease_id=cached.lease_id,
                action=action, labels=list(labels), note=note or None, supersedes=supersedes,
                started_at=timeline.started_at, decided_at=datetime.now(UTC),
                events=timeline.wire_events(), client=CLIENT_NAME)
            self.store.outbox_add(decision, username=self.username, queue=self.queue,
                                  item_state=_state_after(action))
            self._items_today.add(cached.item.id)
            self._advance(decision, cached, timeline)
        finally:
            self._transition.release()
        if self._on_decided:
            self._on_decided()
        return decision

    def _advance(self, decision: Decision, cached, timeline: ItemTimeline) -> None:
        with self._lock:
            self._items = [c for c in self._items if c.item.id != cached.item.id]
            self._timelines.pop(cached.item.id, None)
            self._done.add(cached.item.id)
            self._undo.append(_Done(decision, cached, timeline))
            del self._undo[:-UNDO_DEPTH]

    def escalate(self, note: str | None = None) -> Decision:
        """[G] Send the current item to a senior reviewer (action `escalate`)."""
        return self.decide("escalate", note=note)

    def skip(self) -> Decision:
        """[G] Pass on the current item; the server returns it to the queue."""
        return self.decide("skip")

    def _withdraw(self, decision_id: UUID, *, item_state: str | None = None,
                  item_error: str | None = None) -> bool:
        """Take a decision back from the outbox unless the server has (or may have) it;
        with `item_state`, its item gets that state back in the same transaction."""
        with self._inflight.lock:
            if decision_id in self._inflight:
                return False
            return bool(self.store.outbox_withdraw(decision_id, item_state=item_state,
                                                   item_error=item_error))

    def undo(self) -> Decision | None:
        """[G] "Undo Decision": the last decision of this session comes back as current.
        Withdrawn when still unsent; otherwise the next decision on it supersedes it."""
        if not self._transition.acquire(blocking=False):
            raise NothingToDecide("A decision is already being recorded.")
        try:
            with self._lock:
                if not self._undo:
                    return None
                done = self._undo.pop()
            current = self.current()
            if current is not None:
                self._end_reveal(current)
            old = done.decision
            withdrawn = self._withdraw(old.decision_id, item_state=done.cached.state,
                                       item_error=done.cached.error)
            previous = old.supersedes if withdrawn else old.decision_id
            item_id = old.item_id
            if withdrawn:
                self._items_today.withdraw(item_id)
            else:
                self.store.set_item_state(item_id, done.cached.state, done.cached.error)
            done.timeline.add("undo")
            with self._lock:
                if previous is not None:
                    self._supersedes[item_id] = previous
                self._done.discard(item_id)
                self._timelines[item_id] = done.timeline
                self._items.insert(0, done.cached)
            return old
        finally:
            self._transition.release()

    def history(self, limit: int = 10) -> list:
        """[G] This reviewer's latest decisions (OutboxEntry), newest first."""
        return self.store.recent_decisions(self.username, limit=limit)

    def change(self, decision_id: UUID | str, action: str) -> Decision:
        """[G] Replace an earlier decision's action: withdrawn and replaced while unsent,
        else a new decision that supersedes it (both stay on record)."""
        entry = self.store.outbox_entry(decision_id, username=self.username)
        if entry is None:
            raise InvalidAction("That decision is no longer in your history.")
        # Changing an older row of an item changes the item's latest decision: only one
        # decision may count per item, so the chain of replacements stays a line.
        if entry.status != "rejected":
            entry = self.store.latest_decision_on(self.username, entry.decision.item_id) or entry
        wanted = entry.decision.decision_id
        old = entry.decision
        self._check(action, old.labels)
        with self._inflight.lock:  # a decision on the wire is superseded, never withdrawn
            unsent = entry.status == "pending" and wanted not in self._inflight
            decision, withdrawn = self.store.outbox_replace(
                wanted if unsent else None,
                lambda withdrawn: _replacement(
                    old, action, old.supersedes if withdrawn else old.decision_id),
                username=self.username, queue=entry.queue, item_state=_state_after(action))
        if withdrawn:
            self._items_today.withdraw(old.item_id)
        self._items_today.add(old.item_id)
        with self._lock:
            for done in self._undo:
                if done.decision.decision_id == wanted:
                    done.decision = decision
        if self._on_decided:
            self._on_decided()
        return decision

    def rejected(self) -> list:
        """Decisions the server rejected (OutboxEntry with status and reason), newest
        first: kept so the reviewer can see them, never silently dropped."""
        return self.store.recent_decisions(self.username, limit=1000, status="rejected")

    # --- pacing: the daily item cap and breaks (reviewer/pacing.py) -------------------

    def _check_pace(self, item_id: str) -> None:
        """Refuse a decision during a (due) break or on a new item past today's cap."""
        if self.breaks.on_break or self.breaks.break_due():
            raise BreakDue()
        reason = self._items_today.reached(item_id)
        if reason:
            raise ExposureCapReached(reason)

    def cap_reached(self) -> str | None:
        """[G] Why the current item may not be decided under today's item cap, or None.
        An item decided earlier today (brought back by undo) never counts as new."""
        cached = self.current()
        return self._items_today.reached(cached.item.id if cached else None)

    def items_today(self) -> int:
        """[G] Distinct items this reviewer decided today (local day), from the outbox."""
        return self._items_today.count()

    # --- status -------------------------------------------------------------------------

    def status(self) -> SessionStatus:
        """[G] What the status bar shows."""
        with self._lock:
            leases = {c.lease_id for c in self._items}
            left = len(self._items)
        expiries = [_aware(lease.expires_at) for lease in
                    self.store.open_leases(self.queue, self.username)
                    if lease.lease_id in leases]
        seconds = (max(0, int((min(expiries) - datetime.now(UTC)).total_seconds()))
                   if expiries else None)
        return SessionStatus(online=self._connectivity.online,
                             pending_sync=self.store.outbox_count_pending(username=self.username),
                             lease_seconds_left=seconds, items_left=left)

    def close(self) -> None:
        """[G] End any reveal (the item leaves the screen)."""
        current = self.current()
        if current is not None:
            self._end_reveal(current)


def _state_after(action: str) -> str:
    """The cached item's state once `action` is recorded: a skip hands it back."""
    return "skipped" if action == "skip" else "decided"


def _replacement(old: Decision, action: str, supersedes: UUID | None) -> Decision:
    """A changed decision: same item and timeline, new action, one more `decided`."""
    now = datetime.now(UTC)
    last = old.events[-1].at_ms if old.events else 0
    later = last + int((now - old.decided_at) / timedelta(milliseconds=1))
    at_ms = min(86_400_000, max(last, later))
    events = [*old.events, {"at_ms": at_ms, "type": "decided", "action": action}]
    return Decision(decision_id=uuid4(), item_id=old.item_id, lease_id=old.lease_id,
                    action=action, labels=old.labels, note=old.note, supersedes=supersedes,
                    started_at=old.started_at, decided_at=now,
                    events=events[-500:], client=CLIENT_NAME)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)
