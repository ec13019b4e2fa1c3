"""Durations read well: seconds under a minute, minutes and seconds, hours and minutes."""

from __future__ import annotations

import pytest

from wellness.durations import describe_duration


@pytest.mark.parametrize(("seconds", "words"), [
    (0, "0 s"), (14.6, "15 s"), (59.4, "59 s"), (60, "1 min"), (150, "2 min 30 s"),
    (599, "9 min 59 s"), (600, "10 min"), (6 * 60 + 35 * 60, "41 min"), (3600, "1 h"),
    (3900, "1 h 5 min"), (-3, "0 s"),
])
def test_durations_read_well(seconds: float, words: str) -> None:
    assert describe_duration(seconds) == words
