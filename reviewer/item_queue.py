"""The order in which a review session shows its cached items, safe across threads.

The store holds the items; this keeps the session's view of them stable: an item stays
where it is while new batches arrive behind it, a decided item leaves (and comes back
first on undo), and an item decided but not yet synced is not shown again when the store
is read anew. No I/O.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from offline_cache.records import CachedItem


class ItemQueue:
    """Cached items in queue order; `current()` is the first."""

    def __init__(self, done: Iterable[str] = ()) -> None:
        self._lock = threading.RLock()
        self._items: list[CachedItem] = []
        self._known: dict[str, CachedItem] = {}
        self._done: set[str] = set(done)

    def merge(self, fresh: Iterable[CachedItem]) -> list[str]:
        """Take in the store's undecided items, keeping the order stable; returns their ids."""
        by_id = {c.item.id: c for c in fresh}
        with self._lock:
            self._items = [by_id.get(c.item.id, c) for c in self._items]
            present = {c.item.id for c in self._items}
            for item_id, cached in by_id.items():
                if item_id not in present and item_id not in self._done:
                    self._items.append(cached)
            self._known.update(by_id)
        return list(by_id)

    def known(self, item_id: str) -> CachedItem | None:
        with self._lock:
            return self._known.get(item_id)

    def replace(self, cached: CachedItem) -> None:
        """A new copy of an item (another state) takes the old one's place."""
        with self._lock:
            self._known[cached.item.id] = cached
            self._items = [cached if c.item.id == cached.item.id else c for c in self._items]

    def items(self) -> list[CachedItem]:
        with self._lock:
            return list(self._items)

    def ready_count(self) -> int:
        with self._lock:
            return sum(1 for c in self._items if c.state == "undecided")

    def current(self) -> CachedItem | None:
        with self._lock:
            return self._items[0] if self._items else None

    def upcoming(self, n: int) -> list[CachedItem]:
        with self._lock:
            return list(self._items[1:1 + max(0, n)])

    def lease_ids(self) -> set[str]:
        with self._lock:
            return {c.lease_id for c in self._items}

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def decided(self, item_id: str) -> None:
        """The item was decided: it leaves the order and is not shown again."""
        with self._lock:
            self._items = [c for c in self._items if c.item.id != item_id]
            self._done.add(item_id)

    def put_back_first(self, cached: CachedItem) -> None:
        """An undone decision: its item is current again."""
        with self._lock:
            self._done.discard(cached.item.id)
            self._items.insert(0, cached)
