"""Exposure budget arithmetic and the break schedule: pure functions of policy and ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from reviewer.protocol import ExposureEntry, WellnessPolicy
from wellness.breaks import BreakSchedule
from wellness.exposure import (
    ExposureBudget,
    RevealDecision,
    day_key,
    reveals_for_item,
    seconds_on,
    seconds_per_day,
)


def entry(item_id: str, started_at: datetime, duration_ms: int) -> ExposureEntry:
    return ExposureEntry(
        entry_id=uuid4(),
        item_id=item_id,
        category="gore",
        severity=2,
        mode="hold",
        started_at=started_at,
        duration_ms=duration_ms,
    )


def test_fresh_budget_allows_one_reveal_up_to_the_timeout():
    budget = ExposureBudget(WellnessPolicy(), seconds_today=0, reveals_for_item=0)

    assert budget.check() == RevealDecision(True, None, 10.0)


def test_last_seconds_of_the_day_cap_the_reveal_length():
    policy = WellnessPolicy(daily_reveal_seconds_cap=900, reveal_timeout_s=10)

    decision = ExposureBudget(policy, seconds_today=896.5, reveals_for_item=0).check()

    assert decision.allowed and decision.max_seconds == pytest.approx(3.5)


@pytest.mark.parametrize("spent", [900, 900.001, 5000])
def test_daily_cap_reached_refuses(spent: float):
    decision = ExposureBudget(WellnessPolicy(), seconds_today=spent, reveals_for_item=0).check()

    assert not decision.allowed and decision.max_seconds == 0
    assert decision.reason == "You have reached today's reveal limit of 15 min."


def test_per_item_cap_refuses_the_sixth_reveal():
    policy = WellnessPolicy(max_reveals_per_item=5)

    assert ExposureBudget(policy, 0, reveals_for_item=4).check().allowed
    refused = ExposureBudget(policy, 0, reveals_for_item=5).check()
    assert not refused.allowed and "maximum of 5 times" in (refused.reason or "")


def test_reveal_disabled_refuses_whatever_the_budget():
    decision = ExposureBudget(WellnessPolicy(reveal_enabled=False), 0, 0).check()

    assert not decision.allowed and "turned off" in (decision.reason or "")


def test_zero_caps_mean_no_reveal():
    assert not ExposureBudget(WellnessPolicy(daily_reveal_seconds_cap=0), 0, 0).check().allowed
    assert not ExposureBudget(WellnessPolicy(max_reveals_per_item=0), 0, 0).check().allowed


def test_seconds_left_never_negative():
    assert (
        ExposureBudget(WellnessPolicy(), seconds_today=10_000, reveals_for_item=0).seconds_left == 0
    )


def test_day_key_is_the_local_calendar_day():
    noon_utc = datetime(2024, 5, 17, 12, 0, tzinfo=UTC)

    assert day_key(noon_utc) == noon_utc.astimezone().date()
    assert day_key(noon_utc.replace(tzinfo=None)) == day_key(noon_utc)


def test_ledger_sums_per_day_and_per_item():
    day1 = datetime.combine(date(2024, 5, 17), datetime.min.time()).astimezone() + timedelta(
        hours=9
    )
    day2 = day1 + timedelta(days=1)
    entries = [
        entry("a", day1, 1500),
        entry("a", day1 + timedelta(minutes=5), 2500),
        entry("b", day2, 4000),
    ]

    assert seconds_on(entries, day1.date()) == pytest.approx(4.0)
    assert seconds_on(entries, day2.date()) == pytest.approx(4.0)
    assert seconds_on(entries, date(2000, 1, 1)) == 0
    assert seconds_per_day(entries) == {day1.date(): 4.0, day2.date(): 4.0}
    assert reveals_for_item(entries, "a") == 2 and reveals_for_item(entries, "zzz") == 0


def test_break_due_after_the_policy_interval():
    schedule = BreakSchedule(WellnessPolicy(break_every_minutes=60, break_length_minutes=10))

    assert not schedule.due(59 * 60 + 59)
    assert schedule.due(60 * 60)
    assert schedule.seconds_until_due(45 * 60) == 15 * 60
    assert schedule.break_seconds == 600


def test_no_breaks_when_policy_turns_them_off():
    schedule = BreakSchedule(WellnessPolicy(break_every_minutes=0))

    assert not schedule.enabled
    assert not schedule.due(10 * 3600)
    assert schedule.seconds_until_due(10) is None
