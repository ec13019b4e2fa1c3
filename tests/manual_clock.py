"""A monotonic clock that tests move by hand (shared by tests/reviewer and tests/ui)."""

from __future__ import annotations

import time


class ManualClock:
    """Starts at the real monotonic time, so it can replace `time.monotonic` in a running
    session; moves only when the test calls `advance`."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
