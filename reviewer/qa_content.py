"""What the protected view shows in a QA replay: `reviewer.protected.ProtectedContent`
for the QA lead.

The replayed item's media (from the vault, or downloaded hash-checked into it), the QA
lead's own effective policy, and the QA lead's own `ExposureGate`: a QA lead who reveals
is exposed too, so each reveal needs their budget and goes to their ledger (synced to
`POST /exposure` under their name). [G] unless marked [W].
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from reviewer.errors import MediaRejected
from reviewer.exposure_gate import ExposureGate
from reviewer.protocol import ExposureEntry, Item, RevealMode, WellnessPolicy
from reviewer.timeline import ItemTimeline
from wellness.exposure import RevealDecision


class ReplayContent:
    """The item on the replay screen, shown to one QA lead."""

    def __init__(self, gate: ExposureGate, fetch: Callable[[Item], bytes]) -> None:
        self.gate = gate
        self._fetch = fetch
        self._lock = threading.Lock()
        self._items: dict[str, Item] = {}
        self.item: Item | None = None
        self._timeline: ItemTimeline | None = None

    @property
    def policy(self) -> WellnessPolicy:
        return self.gate.policy

    def show(self, item: Item) -> None:
        """[G] Put `item` on screen (any open reveal of the previous one ends first)."""
        self.reveal_end()
        with self._lock:
            self._items[item.id] = item
            self.item, self._timeline = item, ItemTimeline()

    def know(self, items: list[Item]) -> None:
        """[G] Items that may be replayed next, so their media can be prepared ahead."""
        with self._lock:
            self._items.update((item.id, item) for item in items)

    def media_bytes(self, item_id: str) -> bytes:
        """[W]"""
        with self._lock:
            item = self._items.get(item_id)
        if item is None:
            raise MediaRejected("This item is not being replayed.")
        return self._fetch(item)

    def reveal_start(self, mode: RevealMode = "hold", area: float | None = None
                     ) -> RevealDecision:
        with self._lock:
            item, timeline = self.item, self._timeline
        if item is None or timeline is None:
            return RevealDecision(allowed=False, reason="There is no item to reveal.",
                                  max_seconds=0.0)
        return self.gate.start(item, timeline, mode, area)

    def reveal_end(self) -> ExposureEntry | None:
        with self._lock:
            item, timeline = self.item, self._timeline
        return self.gate.end(item, timeline) if item is not None else None
