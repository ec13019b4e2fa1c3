"""Backoff arithmetic and the retry schedule's words, on a hand-moved clock."""

from __future__ import annotations

import math
import random

from reviewer.backoff import Backoff, RetrySchedule, parse_retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_delays_grow_with_jitter_up_to_the_cap() -> None:
    backoff = Backoff(base=1.0, cap=60.0, rng=random.Random(3))
    delays = [backoff.next_delay() for _ in range(12)]
    for n, delay in enumerate(delays):
        ceiling = min(60.0, 2.0 ** n)
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 60.0
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_retry_after_is_a_floor_but_never_absurd() -> None:
    backoff = Backoff(base=1.0, cap=60.0, rng=random.Random(1))
    assert backoff.next_delay(retry_after=30) >= 30
    assert backoff.next_delay(retry_after=10**9) <= 600  # a hostile header is capped
    assert parse_retry_after("20") == 20.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None
    assert parse_retry_after("-5") is None and parse_retry_after(None) is None


def test_the_schedule_says_why_it_waits_and_f5_cuts_it_short() -> None:
    clock = Clock()
    schedule = RetrySchedule(error_base=16.0, empty_base=32.0, rng=random.Random(2),
                             clock=clock)
    assert schedule.due() and schedule.describe() == ""

    delay = schedule.failed("Server error", retry_after=20)
    assert delay >= 20 and not schedule.due()
    assert schedule.describe() == f"Server error, retrying in {math.ceil(delay)} s"
    clock.now += delay
    assert schedule.due() and schedule.describe() == "Server error, retrying now"

    delay = schedule.empty("No items")
    assert schedule.describe() == f"No items: checking again in {math.ceil(delay)} s"
    schedule.retry_now()
    assert schedule.due()
    schedule.succeeded()
    assert schedule.describe() == "" and schedule.kind is None


def test_an_empty_queue_backs_off_from_seconds_to_a_minute() -> None:
    clock = Clock()
    schedule = RetrySchedule(rng=random.Random(5), clock=clock)
    delays = [schedule.empty() for _ in range(10)]
    assert delays[0] <= 4.0  # the first check again comes within a few seconds
    assert 30.0 <= delays[-1] <= 60.0  # then about once a minute
