"""Break schedule: after so much review work, the reviewer is asked to step away.

Works on seconds of work the caller measured with a monotonic clock (time spent on
breaks excluded, reset after each break). No clock reads, no Qt.
"""

from __future__ import annotations

from reviewer.protocol import WellnessPolicy


class BreakSchedule:
    """When the next break is due and how long it lasts, from the wellness policy."""

    def __init__(self, policy: WellnessPolicy) -> None:
        self.policy = policy

    @property
    def enabled(self) -> bool:
        """A policy with `break_every_minutes == 0` schedules no breaks."""
        return self.policy.break_every_minutes > 0

    @property
    def interval_seconds(self) -> float:
        return self.policy.break_every_minutes * 60.0

    @property
    def break_seconds(self) -> float:
        return self.policy.break_length_minutes * 60.0

    def due(self, worked_seconds: float) -> bool:
        """True once the reviewer has worked a full interval since the last break."""
        return self.enabled and worked_seconds >= self.interval_seconds

    def seconds_until_due(self, worked_seconds: float) -> float | None:
        """Seconds of work left before the next break; None when breaks are off."""
        if not self.enabled:
            return None
        return max(0.0, self.interval_seconds - worked_seconds)
