"""The exposure gate: the one door through which unprotected content reaches a person.

A reveal may start only within the person's budget (the policy's caps, checked against an
in-memory tally of their local ledger, so it holds offline and costs no SQL on the GUI
thread); when it ends its duration goes to their exposure ledger, which syncs later. The
review session and the QA replay each hold one, for the reviewer and for the QA lead:
both are exposed, both are counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import uuid4

from offline_cache.store import LocalStore
from reviewer.exposure_tally import ExposureTally
from reviewer.protocol import ExposureEntry, Item, RevealMode, WellnessPolicy
from reviewer.timeline import ItemTimeline
from wellness.exposure import ExposureBudget, RevealDecision


class ExposureGate:
    """Reveal permission and the ledger, for one person under one policy."""

    def __init__(self, store: LocalStore, username: str, policy: WellnessPolicy) -> None:
        self.policy = policy
        self._store, self._username = store, username
        self._tally = ExposureTally(store, username)

    def load(self, item_ids: Iterable[str]) -> None:
        """[W] Read today's reveal seconds and these items' reveal counts ahead of time."""
        self._tally.load(item_ids)

    def check(self, item_id: str) -> RevealDecision:
        """[G] May `item_id` be revealed now, and for how long at most?"""
        return ExposureBudget(self.policy, self._tally.seconds_today(),
                              self._tally.reveals(item_id)).check()

    def reveals(self, item_id: str) -> int:
        """[G] How often `item_id` has been revealed (in memory once loaded)."""
        return self._tally.reveals(item_id)

    def seconds_today(self) -> float:
        """[G] Unprotected seconds already spent today."""
        return self._tally.seconds_today()

    def start(self, item: Item, timeline: ItemTimeline, mode: RevealMode,
              area: float | None = None) -> RevealDecision:
        """[G] Start a reveal of `item` on its timeline if the budget allows it; `area` is
        the share of the item a region reveal shows (it weighs the reveal's time)."""
        verdict = self.check(item.id)
        if verdict.allowed:
            timeline.start_reveal(mode, area)
            if area is not None and verdict.max_seconds:  # a small region lasts longer
                verdict = RevealDecision(True, None, min(self.policy.reveal_timeout_s,
                                                         verdict.max_seconds / area))
        return verdict

    def end(self, item: Item, timeline: ItemTimeline | None) -> ExposureEntry | None:
        """[G] Close the open reveal of `item` (if any) and record it in the ledger."""
        finished = timeline.end_reveal() if timeline is not None else None
        if finished is None:
            return None
        entry = ExposureEntry(entry_id=uuid4(), item_id=item.id, category=item.category,
                              severity=item.severity, mode=finished.mode,
                              started_at=finished.started_at, duration_ms=finished.duration_ms,
                              area=finished.area)
        self._store.ledger_add(entry, username=self._username)
        self._tally.add(entry)
        return entry
