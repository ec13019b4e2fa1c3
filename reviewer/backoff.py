"""Exponential backoff with jitter, for every request the workstation repeats in the
background: a dead or busy server sees a client's retries spread out, never a storm."""

from __future__ import annotations

import random


class Backoff:
    """Exponential delay with jitter between failed attempts, capped, reset on success."""

    def __init__(self, base: float = 1.0, cap: float = 60.0, factor: float = 2.0,
                 rng: random.Random | None = None) -> None:
        self.base, self.cap, self.factor = base, cap, factor
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """The wait before the next attempt; each call counts one more failure."""
        ceiling = min(self.cap, self.base * self.factor ** self.failures)
        self.failures += 1
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.failures = 0
