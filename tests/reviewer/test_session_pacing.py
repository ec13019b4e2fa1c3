"""The daily item cap and the break schedule, enforced by the session from the cached
policy (so they hold offline), against a real server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from manual_clock import ManualClock
from reviewer_helpers import client_as, decide_next, first_action, server_decisions

from reviewer.errors import ExposureCapReached
from reviewer.pacing import BreakDue, DailyItemCount
from reviewer.protocol import WellnessPolicy
from wellness.exposure import day_key


def _set_policy(server, **caps) -> None:
    wellness = client_as(server, "wellness")
    try:
        # the default scope: a reviewer's own scope may only tighten it (strictest wins),
        # and these tests shorten breaks below the built-in length
        wellness.put_wellness_policy("default", WellnessPolicy(**caps))
    finally:
        wellness.close()


def test_daily_item_cap_stops_new_items_and_holds_offline(demo_ws, seeded_server):
    _set_policy(seeded_server, daily_item_cap=3)
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=5)
    for _ in range(3):
        assert session.cap_reached() is None
        decide_next(session)
    assert session.items_today() == 3
    assert "3 items today" in session.cap_reached()
    waiting = session.current()
    assert waiting is not None  # still there (undo needs the queue), but not decidable
    with pytest.raises(ExposureCapReached, match="daily limit"):
        session.decide(first_action(session))
    assert session.current().item.id == waiting.item.id

    undone = session.undo()  # an item decided today is not new: it may be decided again
    assert session.cap_reached() is None
    again = session.decide(first_action(session))
    assert again.item_id == undone.item_id
    assert session.cap_reached() is not None

    before = len(session.items())
    session.fill(min_ready=50)  # capped: no more items are leased
    assert len(session.items()) == before
    assert demo_ws.sync_engine().sync_once().accepted == 3
    assert len(server_decisions(seeded_server)) == 3

    seeded_server.stop()  # offline: the cached policy and the outbox still hold the cap
    offline = demo_ws.start_review("spam", background_sync=False)
    assert offline.items_today() == 3 and offline.cap_reached() is not None
    offline.mark_shown()
    with pytest.raises(ExposureCapReached):
        offline.decide(first_action(offline))


def test_item_cap_counts_only_todays_decisions(demo_ws, seeded_server):
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=3)
    decide_next(session)
    decide_next(session)
    policy = WellnessPolicy(daily_item_cap=2)
    today = day_key(session.history(1)[0].decision.decided_at)
    assert DailyItemCount(demo_ws.store, "demo", policy, today=lambda: today).reached()
    tomorrow = DailyItemCount(demo_ws.store, "demo", policy,
                              today=lambda: today + timedelta(days=1))
    assert tomorrow.count() == 0 and tomorrow.reached() is None


def test_break_is_due_after_the_interval_and_decisions_wait_for_its_end(
        demo_ws, seeded_server):
    _set_policy(seeded_server, break_every_minutes=1, break_length_minutes=1)
    session = demo_ws.start_review("hate-speech", background_sync=False)
    clock = ManualClock()
    session.breaks.clock = clock
    session.fill(min_ready=5)
    decide_next(session)
    clock.advance(59)
    assert not session.breaks.break_due()
    decide_next(session)
    clock.advance(2)
    assert session.breaks.break_due()
    session.mark_shown()
    with pytest.raises(BreakDue):
        session.decide(first_action(session))  # due: no more decisions until the break

    session.breaks.begin_break()
    assert session.breaks.break_seconds_left() == pytest.approx(60)
    assert not session.reveal_start("hold").allowed
    with pytest.raises(BreakDue):
        session.decide(first_action(session))
    clock.advance(30)
    assert session.breaks.end_break() is False  # not before the countdown is over
    assert session.breaks.on_break
    clock.advance(30)
    assert session.breaks.end_break() is True
    assert not session.breaks.break_due() and session.breaks.worked_seconds() == 0
    taken = demo_ws.store.breaks_unsynced(username="demo")  # logged for the wellness report
    assert [round(b.taken_seconds) for b in taken] == [60]
    assert demo_ws.sync_engine().sync_once().breaks_sent == 1
    assert demo_ws.sync_engine().sync_once().breaks_sent == 0  # sent once
    assert demo_ws.store.breaks_unsynced(username="demo") == []
    decide_next(session)  # work goes on, and the clock counts from zero again
    clock.advance(61)
    assert session.breaks.break_due()
