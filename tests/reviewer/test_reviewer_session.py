"""The review session against a real server: decisions, reveals, caps, undo, change."""

from __future__ import annotations

import time

import pytest
from reviewer_helpers import client_as, decide_next, other_action, server_decisions

from reviewer.errors import InvalidAction, NothingToDecide
from reviewer.protocol import WellnessPolicy


def _types(events) -> list[str]:
    return [e.type for e in events]


def test_twenty_decisions_reach_the_server_with_timelines(demo_ws, seeded_server):
    session = demo_ws.start_review("violent-imagery", background_sync=False)
    engine = demo_ws.sync_engine()
    assert session.fill(min_ready=10) >= 10
    actions = [a.id for a in session.taxonomy.actions if a.key]
    made = {}
    for n in range(20):
        if session.ready_count() < 5:
            session.fill(min_ready=10)  # the next batch, before this one runs out
        made[str(decide_next(session, actions[n % len(actions)]).decision_id)] = n
        if n % 7 == 0:
            engine.sync_once()
    report = engine.sync_once()
    assert report.online and not report.rejected
    held = server_decisions(seeded_server)
    assert set(held) == set(made)
    for decision in session.history(20):
        record = held[str(decision.decision.decision_id)]
        assert record.action == decision.decision.action
        assert record.status == "accepted"
        assert _types(record.events) == ["shown", "decided"]
        assert record.events[-1].action == record.action
    assert session.status().pending_sync == 0


def test_reveal_is_recorded_with_duration(demo_ws, seeded_server):
    session = demo_ws.start_review("hate-speech", background_sync=False)
    session.fill(min_ready=3)
    session.mark_shown()
    verdict = session.reveal_start("hold")
    assert verdict.allowed and verdict.max_seconds > 0
    time.sleep(0.25)
    entry = session.reveal_end()
    assert entry is not None and entry.duration_ms >= 240 and entry.mode == "hold"
    session.reveal_start("toggle")  # still on when the item changes: ends by itself
    decision = session.decide("remove", labels=["slur"])
    assert _types(decision.events) == ["shown", "reveal_start", "reveal_end",
                                       "reveal_start", "reveal_end", "decided"]
    assert decision.events[2].duration_ms >= 240 and decision.events[4].mode == "toggle"
    report = demo_ws.sync_engine().sync_once()
    assert report.exposure_sent == 2 and report.accepted == 1
    record = server_decisions(seeded_server)[str(decision.decision_id)]
    assert record.labels == ["slur"]
    assert record.events[2].duration_ms == decision.events[2].duration_ms


def test_a_reveal_key_runs_no_query_on_the_local_store(demo_ws, seeded_server):
    """The budget check on the GUI thread uses the in-memory tally, not the ledger; the
    tally still counts every reveal, so the per-item cap holds."""
    from sqlalchemy import event

    session = demo_ws.start_review("hate-speech", background_sync=False)
    session.fill(min_ready=3)
    session.mark_shown()
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(demo_ws.store._engine, "before_cursor_execute", seen)
    try:
        for _ in range(session.policy.max_reveals_per_item):
            before = len(statements)
            assert session.reveal_start("hold").allowed
            assert statements[before:] == []
            session.reveal_end()  # the ledger entry: one small commit
        before = len(statements)
        refused = session.reveal_start("hold")
        assert statements[before:] == []
    finally:
        event.remove(demo_ws.store._engine, "before_cursor_execute", seen)
    assert not refused.allowed and "maximum" in refused.reason


def test_exposure_cap_refuses_reveals_offline_too(demo_ws, seeded_server):
    wellness = client_as(seeded_server, "wellness")
    wellness.put_wellness_policy(
        "user:demo", WellnessPolicy(max_reveals_per_item=1, daily_reveal_seconds_cap=1))
    wellness.close()
    session = demo_ws.start_review("hate-speech", background_sync=False)
    assert session.policy.daily_reveal_seconds_cap == 1
    session.fill(min_ready=5)
    session.mark_shown()
    assert session.reveal_start("hold").allowed
    session.reveal_end()
    refused = session.reveal_start("hold")
    assert not refused.allowed and "maximum" in refused.reason
    decide_next(session)

    seeded_server.stop()  # offline: the cached policy and the local ledger still hold
    session.mark_shown()
    allowed = session.reveal_start("hold")
    assert allowed.allowed and allowed.max_seconds <= 1.0
    time.sleep(1.05)
    session.reveal_end()
    decide_next(session)
    session.mark_shown()
    refused = session.reveal_start("toggle")
    assert not refused.allowed and "limit" in refused.reason
    offline_session = demo_ws.start_review("hate-speech", background_sync=False)
    assert not offline_session.reveal_start("hold").allowed
    assert demo_ws.sync_engine().sync_once().online is False


def test_undo_before_sync_withdraws(demo_ws, seeded_server):
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=3)
    first = decide_next(session, "approve")
    assert session.current().item.id != first.item_id
    undone = session.undo()
    assert undone.decision_id == first.decision_id
    assert session.current().item.id == first.item_id
    assert session.status().pending_sync == 0
    again = session.decide(other_action(session, "approve"))
    assert again.supersedes is None
    assert _types(again.events) == ["shown", "decided", "undo", "decided"]
    demo_ws.sync_engine().sync_once()
    held = server_decisions(seeded_server)
    assert str(first.decision_id) not in held
    assert held[str(again.decision_id)].action == again.action
    assert session.undo().decision_id == again.decision_id  # answered now: supersede next
    assert session.undo() is None


def test_undo_after_sync_supersedes(demo_ws, seeded_server):
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=3)
    first = decide_next(session, "approve")
    assert demo_ws.sync_engine().sync_once().accepted == 1
    session.undo()
    assert session.current().item.id == first.item_id
    second = session.decide("remove")
    assert second.supersedes == first.decision_id
    assert demo_ws.sync_engine().sync_once().accepted == 1
    held = server_decisions(seeded_server)
    assert held[str(first.decision_id)].superseded_by == second.decision_id
    assert held[str(second.decision_id)].supersedes == first.decision_id


def test_change_from_history(demo_ws, seeded_server):
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=4)
    unsent = decide_next(session, "approve")
    replaced = session.change(unsent.decision_id, "remove")
    assert replaced.supersedes is None and replaced.item_id == unsent.item_id
    sent = decide_next(session, "approve")
    demo_ws.sync_engine().sync_once()
    changed = session.change(str(sent.decision_id), "remove")
    assert changed.supersedes == sent.decision_id
    demo_ws.sync_engine().sync_once()
    held = server_decisions(seeded_server)
    assert str(unsent.decision_id) not in held
    assert held[str(replaced.decision_id)].action == "remove"
    assert held[str(changed.decision_id)].supersedes == sent.decision_id
    assert [e.status for e in session.history(3)] == ["accepted", "accepted", "accepted"]


def test_changing_an_already_replaced_row_changes_the_latest_decision(demo_ws, seeded_server):
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=4)
    first = decide_next(session, "approve")
    demo_ws.sync_engine().sync_once()
    second = session.change(first.decision_id, "remove")
    demo_ws.sync_engine().sync_once()

    third = session.change(first.decision_id, "approve")  # the old row, chosen again

    assert third.supersedes == second.decision_id
    assert demo_ws.sync_engine().sync_once().rejected == []
    held = server_decisions(seeded_server)
    counting = [d for d in held.values() if d.item_id == first.item_id and not d.superseded_by]
    assert [str(d.decision_id) for d in counting] == [str(third.decision_id)]


def test_escalate_and_skip(demo_ws, seeded_server):
    session = demo_ws.start_review("hate-speech", background_sync=False)
    session.fill(min_ready=3)
    session.mark_shown()
    escalated = session.escalate(note="needs a second opinion")
    skipped = session.skip()
    assert (escalated.action, skipped.action) == ("escalate", "skip")
    report = demo_ws.sync_engine().sync_once()
    assert report.accepted == 2
    assert {q.name: q.pending for q in demo_ws.queues()}["hate-speech"] >= 1


def test_state_guards(demo_ws):
    session = demo_ws.start_review("spam", background_sync=False)
    with pytest.raises(NothingToDecide):
        session.decide("approve")  # nothing leased yet
    session.fill(min_ready=2)
    with pytest.raises(InvalidAction):
        session.decide("no_such_action")
    with pytest.raises(InvalidAction):
        session.decide("approve", labels=["no_such_label"])
    assert session.undo() is None
    assert session.status().items_left >= 2
    ahead = session.upcoming(3)
    assert ahead and session.current().item.id not in {c.item.id for c in ahead}
