"""One item's timeline while it is on screen: shown, reveals, undo, decided.

Durations come from the monotonic clock (a wall-clock jump never bends a
timeline); the wall-clock start is kept in UTC for `started_at`. Pure bookkeeping,
no I/O: safe on the GUI thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from reviewer.protocol import MAX_EVENTS_PER_DECISION, DecisionEvent, RevealMode

MAX_AT_MS = 86_400_000


@dataclass(frozen=True)
class FinishedReveal:
    """A reveal that just ended: what the exposure ledger records."""

    started_at: datetime
    duration_ms: int
    mode: RevealMode
    area: float | None = None


class ItemTimeline:
    """The events of one item, in ms since it was first shown."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._t0: float | None = None
        self.started_at: datetime | None = None
        self.events: list[DecisionEvent] = []
        self._reveal: tuple[float, datetime, RevealMode, float | None] | None = None

    @property
    def shown(self) -> bool:
        return self._t0 is not None

    @property
    def revealing(self) -> bool:
        return self._reveal is not None

    def show(self) -> None:
        """Start the clock the first time the item is on screen; later calls keep it."""
        if self._t0 is None:
            self._t0 = self._clock()
            self.started_at = datetime.now(UTC)
            self.events.append(DecisionEvent(at_ms=0, type="shown"))

    def now_ms(self) -> int:
        self.show()
        return min(MAX_AT_MS, max(0, round((self._clock() - self._t0) * 1000)))  # type: ignore[operator]

    def add(self, type_: str, **fields) -> DecisionEvent:
        event = DecisionEvent(at_ms=self.now_ms(), type=type_, **fields)
        self.events.append(event)
        return event

    def start_reveal(self, mode: RevealMode, area: float | None = None) -> None:
        if self._reveal is None:
            self.add("reveal_start", mode=mode)
            self._reveal = (self._clock(), datetime.now(UTC), mode, area)

    def end_reveal(self) -> FinishedReveal | None:
        """Close an open reveal; None when nothing was revealed."""
        if self._reveal is None:
            return None
        began, wall, mode, area = self._reveal
        self._reveal = None
        duration = min(MAX_AT_MS, max(0, round((self._clock() - began) * 1000)))
        self.add("reveal_end", duration_ms=duration, mode=mode)
        return FinishedReveal(started_at=wall, duration_ms=duration, mode=mode, area=area)

    def wire_events(self) -> list[DecisionEvent]:
        """The events as sent, trimmed to the protocol's cap (keeping `shown`)."""
        if len(self.events) <= MAX_EVENTS_PER_DECISION:
            return list(self.events)
        return self.events[:1] + self.events[-(MAX_EVENTS_PER_DECISION - 1):]
