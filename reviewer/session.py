"""A review session: the state machine over one queue's cached items.

[G] methods are safe on the GUI thread (no network, at most a small SQLite commit or two);
[W] methods download, decrypt or lease and belong on a worker. A decision is committed to
the outbox before the session moves on, so a killed process loses nothing; `decide`
refuses to run twice at once (Anki's "transition" state), during a due break and on new
items past today's item cap (reviewer/pacing.py, from the cached policy: both hold
offline). Reveals go through the reviewer's `ExposureGate` (`ProtectedContent`).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from uuid import UUID, uuid4

from offline_cache.records import CachedItem, OutboxEntry
from offline_cache.store import LocalStore
from offline_cache.vault import MediaVault
from reviewer.api import CLIENT_NAME, ApiClient
from reviewer.budget import Budget, budget_of
from reviewer.builtin_actions import (
    ESCALATE,
    SKIP,
    check_decision,
    item_state_after,
    with_builtin_actions,
)
from reviewer.clock import Clock, monotonic, utc_now
from reviewer.connectivity import Connectivity, InFlight
from reviewer.decision_changes import counting_entry, replace_decision, take_back
from reviewer.errors import MediaRejected, NothingToDecide
from reviewer.exposure_gate import ExposureGate
from reviewer.history import HistoryRow, history_rows
from reviewer.item_queue import ItemQueue
from reviewer.leasing import LeaseKeeper, Progress
from reviewer.local_errors import LocalSaveFailed, StoreError
from reviewer.pacing import DailyItemCount, WorkTimer, break_logger, check_pace
from reviewer.protocol import (
    Decision,
    ExposureEntry,
    LeaseReply,
    RevealMode,
    Taxonomy,
    WellnessPolicy,
)
from reviewer.session_status import SessionStatus, session_status
from reviewer.timeline import ItemTimeline
from reviewer.undo_stack import Done, UndoStack
from wellness.exposure import RevealDecision


class ReviewSession:
    """Decide, escalate, skip, undo and change decisions on one queue."""

    def __init__(self, *, queue: str, username: str, store: LocalStore, vault: MediaVault,
                 api: ApiClient | None, taxonomy: Taxonomy, policy: WellnessPolicy,
                 inflight: InFlight | None = None, connectivity: Connectivity | None = None,
                 on_decided: Callable[[], None] | None = None,
                 on_lease: Callable[[LeaseReply], None] | None = None,
                 clock: Clock = monotonic, base_policy: WellnessPolicy | None = None) -> None:
        self.queue = queue
        self.username = username
        self.store = store
        self.taxonomy = with_builtin_actions(taxonomy)
        self.policy, self.base_policy = policy, base_policy or policy  # base: before preferences
        self._inflight = inflight or InFlight()
        self._connectivity = connectivity or Connectivity()
        self._on_decided = on_decided
        self.leases = self._leases = LeaseKeeper(
            queue=queue, username=username, store=store, vault=vault, api=api,
            connectivity=self._connectivity, on_broken=self.mark_broken, on_lease=on_lease)
        self._lock = threading.RLock()
        self._transition = threading.Lock()
        self._queue = ItemQueue(done={d.item_id for d in
                                      store.outbox_pending(limit=10_000, username=username)})
        self._undo = UndoStack()
        self._timelines: dict[str, ItemTimeline] = {}
        self._items_today = DailyItemCount(store, username, policy)
        self._items_today.count()  # read today's outbox here (a worker), not on the GUI thread
        self._gate = ExposureGate(store, username, policy)
        # The break schedule: break_due(), begin_break(), break_seconds_left(),
        # end_break(); its `clock` (monotonic) may be swapped by tests.
        self.breaks = WorkTimer(policy, clock, on_break_over=break_logger(store, username))
        self.reload()

    # --- the queue ----------------------------------------------------------------------

    def reload(self) -> None:
        """Merge the store's undecided items into the session order, keeping it stable."""
        ids = self._queue.merge(self.store.undecided_items(self.queue, self.username))
        self._gate.load(ids)  # their reveal counts: read here, not on a key

    def items(self) -> list[CachedItem]:
        """[G] Every item still to decide, in order (current first)."""
        return self._queue.items()

    def ready_count(self) -> int:  # [G] undecided items in hand
        return self._queue.ready_count()

    # [W] -------------------------------------------------------------------------------

    def fill(self, min_ready: int = 10, on_progress: Progress | None = None) -> int:
        """[W] Lease more when fewer than `min_ready` remain, fetch their media; returns
        the number of undecided items ready. Media failures mark items broken. Both
        wait out their backoff (`leases.fill_due`, `leases.waiting`)."""
        if self.ready_count() < min_ready and self._items_today.reached() is None:
            reply = self._leases.lease_more(max(min_ready * 2, 20))
            if reply is not None and reply.items:
                self.taxonomy = with_builtin_actions(reply.taxonomy)
        self.reload()
        self._leases.download_media(self.items(), on_progress)
        return self.ready_count()

    def media_bytes(self, item_id: str) -> bytes:
        """[W] The decrypted media of an item; MediaRejected with the reason if broken."""
        cached = self._queue.known(item_id)
        if cached is None:
            raise MediaRejected("This item is not in the current session.")
        if cached.state == "broken":
            raise MediaRejected(cached.error or MediaRejected.default_message)
        return self._leases.media_for(cached)

    def mark_broken(self, item_id: str, reason: str) -> None:
        """[G] Record that an item's media cannot be shown; it stays in the queue order."""
        cached = self._queue.known(item_id)
        self.store.set_item_state(item_id, "broken", reason)
        if cached is not None:
            self._queue.replace(dataclasses.replace(cached, state="broken", error=reason))

    # [G] -------------------------------------------------------------------------------

    def current(self) -> CachedItem | None:
        """[G] The item on screen, or None when the queue is empty."""
        return self._queue.current()

    def upcoming(self, n: int) -> list[CachedItem]:
        """[G] The next `n` items after the current one (to prefetch and prepare)."""
        return self._queue.upcoming(n)

    def _timeline(self, item_id: str) -> ItemTimeline:
        with self._lock:
            return self._timelines.setdefault(item_id, ItemTimeline())

    def mark_shown(self) -> None:
        """[G] The current item is on screen: start its clock (once)."""
        cached = self.current()
        if cached is not None:
            self._timeline(cached.item.id).show()
            self.breaks.touch()

    # --- reveal (the ProtectedContent exposure gate) -------------------------------------

    def reveal_start(self, mode: RevealMode = "hold", area: float | None = None
                     ) -> RevealDecision:
        """[G] Ask to show the unprotected content; refused beyond the exposure budget,
        computed from the cached policy and the local ledger so it holds offline."""
        cached = self.current()
        if cached is None:
            return RevealDecision(allowed=False, reason="There is no item to reveal.",
                                  max_seconds=0.0)
        if self.breaks.on_break:
            return RevealDecision(allowed=False, reason="You are on a break.", max_seconds=0.0)
        return self._gate.start(cached.item, self._timeline(cached.item.id), mode, area)

    def reveal_end(self) -> ExposureEntry | None:
        """[G] Re-protect; records the reveal's duration in the timeline and the ledger."""
        cached = self.current()
        return self._end_reveal(cached) if cached is not None else None

    def _end_reveal(self, cached: CachedItem) -> ExposureEntry | None:
        with self._lock:
            timeline = self._timelines.get(cached.item.id)
        return self._gate.end(cached.item, timeline)

    # --- decisions ----------------------------------------------------------------------

    def _check(self, action: str, labels: Sequence[str]) -> None:
        check_decision(self.taxonomy, action, labels)

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
            check_pace(self.breaks, self._items_today, cached.item.id)
            self._end_reveal(cached)
            timeline = self._timeline(cached.item.id)
            if note:
                timeline.add("note")
            timeline.add("decided", action=action)
            supersedes = self._undo.supersedes_for(cached.item.id)
            decision = Decision(
                decision_id=uuid4(), item_id=cached.item.id, lease_id=cached.lease_id,
                action=action, labels=list(labels), note=note or None, supersedes=supersedes,
                started_at=timeline.started_at, decided_at=utc_now(),
                events=timeline.wire_events(), client=CLIENT_NAME)
            try:
                self.store.outbox_add(decision, username=self.username, queue=self.queue,
                                      item_state=item_state_after(action))
            except StoreError as exc:  # a full disk: say so; the same key works later
                raise LocalSaveFailed(str(exc)) from exc
            self._items_today.add(cached.item.id)
            self._advance(decision, cached, timeline)
        finally:
            self._transition.release()
        if self._on_decided:
            self._on_decided()
        return decision

    def _advance(self, decision: Decision, cached: CachedItem, timeline: ItemTimeline) -> None:
        self._queue.decided(cached.item.id)
        with self._lock:
            self._timelines.pop(cached.item.id, None)
        self._undo.push(Done(decision, cached, timeline))

    def escalate(self, note: str | None = None) -> Decision:
        """[G] Send the current item to the escalation tier (action `escalate`)."""
        return self.decide(ESCALATE, note=note)

    def skip(self) -> Decision:  # [G] pass on the item: the server returns it to the queue
        return self.decide(SKIP)

    def undo(self) -> Decision | None:
        """[G] "Undo Decision": the last decision of this session comes back as current.
        Withdrawn when still unsent; otherwise the next decision on it supersedes it."""
        if not self._transition.acquire(blocking=False):
            raise NothingToDecide("A decision is already being recorded.")
        try:
            done = self._undo.pop()
            if done is None:
                return None
            current = self.current()
            if current is not None:
                self._end_reveal(current)
            old, item_id = done.decision, done.decision.item_id
            try:
                withdrawn = take_back(self.store, self._inflight, old, done.cached)
            except StoreError as exc:  # a full disk: nothing changed, the undo can be redone
                self._undo.push(done)
                raise LocalSaveFailed(str(exc)) from exc
            previous = old.supersedes if withdrawn else old.decision_id
            if withdrawn:
                self._items_today.withdraw(item_id)
            done.timeline.add("undo")
            self._undo.will_supersede(item_id, previous)
            with self._lock:
                self._timelines[item_id] = done.timeline
            self._queue.put_back_first(done.cached)
            return old
        finally:
            self._transition.release()

    def history(self, limit: int = 10) -> list[OutboxEntry]:
        """[G] This reviewer's latest decisions, newest first."""
        return self.store.recent_decisions(self.username, limit=limit)

    def history_rows(self, limit: int = 10) -> list[HistoryRow]:
        """[W] The latest decisions with their state in words (reads the store)."""
        entries = self.history(limit)
        with self._inflight.lock:
            in_flight = {e.decision.decision_id for e in entries
                         if e.decision.decision_id in self._inflight}
        return history_rows(entries, in_flight=in_flight,
                            undone=self._undo.awaiting_replacement())

    def change(self, decision_id: UUID | str, action: str) -> Decision:
        """[G] Replace an earlier decision's action: withdrawn and replaced while unsent,
        else a new decision that supersedes it (both stay on record)."""
        entry = counting_entry(self.store, self.username, decision_id)
        wanted = entry.decision.decision_id
        try:
            decision, withdrawn = replace_decision(self.store, self._inflight, self.username,
                                                   entry, action, self._check)
        except StoreError as exc:  # a full disk: the old decision stands, say so
            raise LocalSaveFailed(str(exc)) from exc
        if withdrawn:
            self._items_today.withdraw(entry.decision.item_id)
        self._items_today.add(entry.decision.item_id)
        self._undo.retarget(wanted, decision)
        if self._on_decided:
            self._on_decided()
        return decision

    def rejected(self) -> list[OutboxEntry]:
        """Decisions the server rejected, with its reason, newest first: never dropped."""
        return self.store.recent_decisions(self.username, limit=1000, status="rejected")

    # --- pacing: the daily item cap and breaks (reviewer/pacing.py) -------------------

    def cap_reached(self) -> str | None:
        """[G] Why the current item may not be decided under today's item cap, or None.
        An item decided earlier today (brought back by undo) never counts as new."""
        cached = self.current()
        return self._items_today.reached(cached.item.id if cached else None)

    def apply_policy(self, policy: WellnessPolicy) -> None:
        """[G] A new policy in force (the reviewer's own preferences tightened it)."""
        self.policy = self._gate.policy = self._items_today.policy = policy
        self.breaks.schedule.policy = policy

    def budget(self) -> Budget:
        """[G] What is left of today's budget (in-memory tallies only)."""
        current = self.current()
        return budget_of(self.policy, self._gate, self._items_today, self.breaks,
                         current.item.id if current is not None else None)

    def items_today(self) -> int:
        """[G] Distinct items this reviewer decided today (local day), from the outbox."""
        return self._items_today.count()

    # --- status -------------------------------------------------------------------------

    def status(self) -> SessionStatus:
        """[W] What the status bar shows (reads the store: call it on the store worker)."""
        return session_status(self.store, self.queue, self.username, self._connectivity,
                              self._queue.lease_ids(), len(self._queue))

    def close(self) -> None:
        """[G] End any reveal (the item leaves the screen)."""
        current = self.current()
        if current is not None:
            self._end_reveal(current)
