"""Today's reveal seconds and each item's reveal count, kept in memory.

The exposure budget is checked when the reviewer presses a reveal key, on the GUI
thread, which runs no SQL queries there. So the tally is read from the local ledger on a worker
(when the session starts, then for the items of each new batch) and afterwards follows
the reveals this session records. Like the item cap, it needs no server: the ledger is
local, so the budget holds offline (invariant 4). A new local day starts the seconds
again (one ledger query, as the item cap does); reveal counts per item never reset.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from offline_cache.store import LocalStore
from reviewer.clock import day_of, day_zone, today
from reviewer.protocol import ExposureEntry


class ExposureTally:
    """Reveal seconds of today and reveals per item, for one reviewer."""

    def __init__(self, store: LocalStore, username: str,
                 today: Callable[[], date] = today) -> None:
        self._store, self._username, self._today = store, username, today
        self._lock = threading.Lock()
        self._day: date | None = None
        self._seconds = 0.0
        self._reveals: Counter[str] = Counter()
        self._known: set[str] = set()
        self._stale: set[str] = set()  # revealed while not known: a load may have missed it

    def load(self, item_ids: Iterable[str]) -> None:
        """[W] Read today's seconds (first time, or on a new day) and the reveal counts
        of the items not known yet."""
        with self._lock:
            self._roll_day()
            missing = sorted({i for i in item_ids if i not in self._known})
            self._stale.difference_update(missing)
        counts = self._store.ledger_reveals_per_item(self._username, missing) if missing else {}
        with self._lock:
            for item_id in missing:
                # An item revealed during the read may or may not be in `counts`: it stays
                # unknown, so the next `reveals` reads it again.
                if item_id not in self._known and item_id not in self._stale:
                    self._reveals[item_id] = counts.get(item_id, 0)
                    self._known.add(item_id)

    def seconds_today(self) -> float:
        with self._lock:
            self._roll_day()
            return self._seconds

    def reveals(self, item_id: str) -> int:
        """How often this item has been revealed; an item never loaded is read now (a
        safety net: the session loads every item it shows)."""
        with self._lock:
            if item_id in self._known:
                return self._reveals[item_id]
        self.load([item_id])
        with self._lock:
            return self._reveals[item_id]

    def add(self, entry: ExposureEntry) -> None:
        """A reveal the session has just written to the ledger."""
        with self._lock:
            read_now = self._roll_day()  # then the ledger's sum has this entry already
            if not read_now and day_of(entry.started_at) == self._day:
                self._seconds += entry.weighted_seconds
            if entry.item_id in self._known:
                self._reveals[entry.item_id] += 1
            else:
                self._stale.add(entry.item_id)

    def _roll_day(self) -> bool:
        """Read today's seconds from the ledger on a new day; True if it did."""
        today = self._today()
        if today == self._day:
            return False
        self._day = today
        self._seconds = self._store.ledger_seconds_on(today, self._username, day_zone())
        return True
