"""What is left of a reviewer's exposure budget, for the review window to show.

Read from the session's in-memory tallies only (no SQL, no network): safe on the GUI
thread every second. The numbers are the ones the caps are enforced with, so what the
reviewer reads is what will refuse them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wellness.durations import describe_duration

if TYPE_CHECKING:
    from reviewer.exposure_gate import ExposureGate
    from reviewer.pacing import DailyItemCount, WorkTimer
    from reviewer.protocol import WellnessPolicy


@dataclass(frozen=True)
class Budget:
    reveals_left: int | None
    """For the item on screen; None without one, or when revealing is off."""
    reveal_seconds_left: float
    items_left: int
    """Items that may still be decided today under the daily item cap."""
    break_in_seconds: float | None
    """Work left before the next break; None when breaks are off or one is under way."""

    def describe(self) -> str:
        """"2 reveals left · 14 min 50 s of reveal today · 1988 items · break in 42 min"."""
        parts = []
        if self.reveals_left is not None:
            parts.append(f"{self.reveals_left} reveal{'s' if self.reveals_left != 1 else ''}"
                         " left on this item")
        parts.append(f"{describe_duration(self.reveal_seconds_left)} of reveal left today")
        parts.append(f"{self.items_left} item{'s' if self.items_left != 1 else ''} left today")
        if self.break_in_seconds is not None:
            parts.append(f"break in {describe_duration(self.break_in_seconds)}")
        return " · ".join(parts)


def budget_of(policy: WellnessPolicy, gate: ExposureGate, items_today: DailyItemCount,
              breaks: WorkTimer, item_id: str | None) -> Budget:
    """The budget from the tallies the caps are enforced with."""
    reveals_left = None
    if item_id is not None and policy.reveal_enabled:
        reveals_left = max(0, policy.max_reveals_per_item - gate.reveals(item_id))
    seconds_left = max(0.0, policy.daily_reveal_seconds_cap - gate.seconds_today())
    items_left = max(0, policy.daily_item_cap - items_today.count())
    break_in = (None if breaks.on_break
                else breaks.schedule.seconds_until_due(breaks.worked_seconds()))
    return Budget(reveals_left=reveals_left, reveal_seconds_left=seconds_left,
                  items_left=items_left, break_in_seconds=break_in)
