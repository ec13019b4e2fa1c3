"""What the workstation's threads share about the server: reachable or not, and which
decisions are on the wire right now. Plain threading, no Qt, no I/O."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from uuid import UUID


class Connectivity:
    """The last thing we learnt about the server: reachable or not. Shared, thread-safe."""

    def __init__(self) -> None:
        self._online = True
        self._lock = threading.Lock()

    @property
    def online(self) -> bool:
        with self._lock:
            return self._online

    def mark(self, online: bool) -> None:
        with self._lock:
            self._online = online


class InFlight:
    """Decision ids being sent right now. Undo holds `.lock` while it checks and
    withdraws, the engine while it picks a batch, so a decision already on the wire
    is superseded rather than silently withdrawn."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._ids: set[UUID] = set()

    def __contains__(self, decision_id: object) -> bool:
        return decision_id in self._ids

    def add(self, ids: Iterable[UUID]) -> None:
        self._ids.update(ids)

    def discard(self, ids: Iterable[UUID]) -> None:
        with self.lock:
            self._ids.difference_update(ids)
