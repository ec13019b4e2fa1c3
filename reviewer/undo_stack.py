"""What "Undo Decision" can take back: this session's latest decisions, capped.

An undone decision that already reached the server (or may have: it was on the wire)
cannot be withdrawn; the next decision on that item supersedes it instead, and
`supersedes_for` hands that id to it. No I/O.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from uuid import UUID

from offline_cache.records import CachedItem
from reviewer.protocol import Decision
from reviewer.timeline import ItemTimeline

UNDO_DEPTH = 50


@dataclass
class Done:
    """A decision of this session that undo can take back, with what it was made on."""

    decision: Decision
    cached: CachedItem
    timeline: ItemTimeline


class UndoStack:
    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self._lock = threading.Lock()
        self._done: list[Done] = []
        self._supersedes: dict[str, UUID] = {}
        self._depth = depth

    def push(self, done: Done) -> None:
        with self._lock:
            self._done.append(done)
            del self._done[:-self._depth]

    def pop(self) -> Done | None:
        with self._lock:
            return self._done.pop() if self._done else None

    def retarget(self, old: UUID, new: Decision) -> None:
        """A decision was changed: undo now takes back the one that replaced it."""
        with self._lock:
            for done in self._done:
                if done.decision.decision_id == old:
                    done.decision = new

    def will_supersede(self, item_id: str, decision_id: UUID | None) -> None:
        """The next decision on `item_id` replaces `decision_id` (None: replaces nothing)."""
        if decision_id is not None:
            with self._lock:
                self._supersedes[item_id] = decision_id

    def supersedes_for(self, item_id: str) -> UUID | None:
        """The decision the next one on `item_id` replaces (asked once per decision)."""
        with self._lock:
            return self._supersedes.pop(item_id, None)
