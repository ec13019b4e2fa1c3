"""Exponential backoff with jitter, for every request the workstation repeats in the
background: a dead or busy server sees a client's retries spread out, never a storm.

`Backoff` is the delay arithmetic; `RetrySchedule` is one background request's state
(when it may run next, and why it is waiting, in words for the status bar). Plain
Python, no I/O, thread-safe where shared.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable

MAX_RETRY_AFTER_S = 600.0
"""A server's Retry-After is honoured up to this; beyond it is a bug or hostile."""


class Backoff:
    """Exponential delay with jitter between failed attempts, capped, reset on success."""

    def __init__(self, base: float = 1.0, cap: float = 60.0, factor: float = 2.0,
                 rng: random.Random | None = None) -> None:
        self.base, self.cap, self.factor = base, cap, factor
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self, retry_after: float | None = None) -> float:
        """The wait before the next attempt; each call counts one more failure. A
        server's `Retry-After` (seconds) is a floor: never sooner than it asked."""
        ceiling = min(self.cap, self.base * self.factor ** min(self.failures, 32))
        self.failures += 1
        delay = ceiling / 2 + self._rng.uniform(0, ceiling / 2)
        if retry_after is not None and retry_after > 0:
            delay = max(delay, min(retry_after, MAX_RETRY_AFTER_S))
        return delay

    def reset(self) -> None:
        self.failures = 0


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds form); None if absent or not
    a number (the HTTP-date form is not used by our server and is ignored)."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


class RetrySchedule:
    """When a background request may run next, and why it waits.

    Two kinds of waiting, each backing off on its own: `failed` (the server erred or
    cannot be reached: from `error_base` up to a minute) and `empty` (the server had
    nothing to give: a few seconds, up to a minute). `succeeded` clears both;
    `retry_now` (F5) makes the next attempt due at once.
    """

    def __init__(self, *, error_base: float = 2.0, empty_base: float = 4.0,
                 cap: float = 60.0, rng: random.Random | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._errors = Backoff(base=error_base, cap=cap, rng=rng)
        self._empty = Backoff(base=empty_base, cap=cap, rng=rng)
        self._clock = clock
        self._lock = threading.Lock()
        self._next_at = 0.0
        self.kind: str | None = None
        """None (nothing to wait for), "error" or "empty"."""
        self.reason = ""

    def due(self) -> bool:
        with self._lock:
            return self._clock() >= self._next_at

    def seconds_left(self) -> float:
        with self._lock:
            return max(0.0, self._next_at - self._clock())

    @property
    def in_error(self) -> bool:
        return self.kind == "error" and not self.due()

    def failed(self, reason: str, retry_after: float | None = None) -> float:
        """An attempt failed; returns the delay before the next one."""
        with self._lock:
            delay = self._errors.next_delay(retry_after)
            self._next_at = self._clock() + delay
            self.kind, self.reason = "error", reason
            return delay

    def empty(self, reason: str = "No items") -> float:
        """The server answered but had nothing (more) to give."""
        with self._lock:
            self._errors.reset()
            delay = self._empty.next_delay()
            self._next_at = self._clock() + delay
            self.kind, self.reason = "empty", reason
            return delay

    def succeeded(self) -> None:
        with self._lock:
            self._errors.reset()
            self._empty.reset()
            self._next_at = 0.0
            self.kind, self.reason = None, ""

    def retry_now(self) -> None:
        """The next attempt is due now; the backoff counts stay (a failure after a
        manual retry still waits long)."""
        with self._lock:
            self._next_at = 0.0

    def describe(self) -> str:
        """What the status bar says: "Server error, retrying in 20 s", "No items:
        checking again in 30 s", or "" when nothing is waiting."""
        if self.kind is None:
            return ""
        left = math.ceil(self.seconds_left())
        if left <= 0:
            return (f"{self.reason}, retrying now" if self.kind == "error"
                    else f"{self.reason}: checking again now")
        if self.kind == "error":
            return f"{self.reason}, retrying in {left} s"
        return f"{self.reason}: checking again in {left} s"
