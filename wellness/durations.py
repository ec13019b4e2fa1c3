"""Durations in words that read well: "15 s", "2 min 30 s", "1 h 5 min", never "0.1 minutes".
Pure: no clock, no I/O."""

from __future__ import annotations


def describe_duration(seconds: float) -> str:
    """A span as a person says it, rounded to what matters at its size."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 10 and secs:
        return f"{minutes} min {secs} s"
    if minutes < 60:
        return f"{minutes + (1 if secs >= 30 else 0)} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
