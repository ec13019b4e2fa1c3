"""The QA lead's own exposure gate for replays: a QA lead who reveals is exposed too.

The same machinery as the review session (reused, not copied): the reveal is allowed by
`ExposureBudget` against the QA lead's policy and an `ExposureTally` of their own ledger,
timed on the monotonic clock by an `ItemTimeline`, and written to the local exposure
ledger under the QA lead's name, from where the sync sends it to `POST /exposure`. So
caps hold offline and every reveal is logged against the person who saw it.
[G]: no network, one small ledger commit per reveal; the tally is loaded on a worker.
"""

from __future__ import annotations

import threading
from uuid import uuid4

from reviewer.exposure_tally import ExposureTally
from reviewer.protocol import ExposureEntry, Item, RevealMode, WellnessPolicy
from reviewer.timeline import ItemTimeline
from wellness.exposure import ExposureBudget, RevealDecision


class QAExposureGate:
    """Reveals of replayed items by one QA lead."""

    def __init__(self, store, username: str, policy: WellnessPolicy) -> None:
        self.store, self.username, self.policy = store, username, policy
        self.tally = ExposureTally(store, username)
        self._lock = threading.Lock()
        self._open: tuple[Item, ItemTimeline] | None = None

    def load(self, item_ids: list[str]) -> None:
        """[W] Read today's seconds and these items' reveal counts from the ledger."""
        self.tally.load(item_ids)

    def reveal_start(self, item: Item, mode: RevealMode = "hold") -> RevealDecision:
        """[G] Ask to see `item` unprotected; refused beyond the QA lead's own caps."""
        verdict = ExposureBudget(self.policy, self.tally.seconds_today(),
                                 self.tally.reveals(item.id)).check()
        if verdict.allowed:
            with self._lock:
                if self._open is None:
                    timeline = ItemTimeline()
                    timeline.start_reveal(mode)
                    self._open = (item, timeline)
        return verdict

    def reveal_end(self) -> ExposureEntry | None:
        """[G] The reveal ended (the view is protected again): log it in the ledger."""
        with self._lock:
            opened, self._open = self._open, None
        if opened is None:
            return None
        item, timeline = opened
        finished = timeline.end_reveal()
        if finished is None:
            return None
        entry = ExposureEntry(entry_id=uuid4(), item_id=item.id, category=item.category,
                              severity=item.severity, mode=finished.mode,
                              started_at=finished.started_at, duration_ms=finished.duration_ms)
        self.store.ledger_add(entry, username=self.username)
        self.tally.add(entry)
        return entry

    @property
    def revealing(self) -> bool:
        with self._lock:
            return self._open is not None
