"""The history says what happened to each decision, for every transition."""

from __future__ import annotations

from reviewer_helpers import decide_next

from reviewer.connectivity import InFlight


def _states(session) -> dict[str, str]:
    """decision id -> the state the history row shows."""
    return {str(r.decision.decision_id): r.describe() for r in session.history_rows(20)}


def test_history_states_for_every_transition(demo_ws, seeded_server):
    inflight = demo_ws.inflight
    assert isinstance(inflight, InFlight)
    session = demo_ws.start_review("spam", background_sync=False)
    engine = demo_ws.sync_engine()
    session.fill(min_ready=6)

    waiting = decide_next(session, "approve")
    assert _states(session)[str(waiting.decision_id)] == "waiting to sync"
    with inflight.lock:
        inflight.add([waiting.decision_id])
    assert _states(session)[str(waiting.decision_id)] == "sending"
    inflight.discard([waiting.decision_id])

    engine.sync_once()
    assert _states(session)[str(waiting.decision_id)] == "accepted"

    session.undo()  # synced, then undone: it waits for its replacement
    assert _states(session)[str(waiting.decision_id)] == "undone: your next decision on it " \
                                                         "replaces it"
    again = session.decide("remove")
    states = _states(session)
    assert states[str(waiting.decision_id)] == "replaced by remove"
    assert states[str(again.decision_id)] == "waiting to sync"

    unsent = decide_next(session, "approve")
    session.undo()  # unsent and undone: withdrawn, it leaves the history
    assert str(unsent.decision_id) not in _states(session)
    session.decide("approve")

    engine.sync_once()
    assert _states(session)[str(again.decision_id)] == "accepted"


def test_a_changed_decision_does_not_carry_the_old_note(demo_ws, seeded_server):
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=3)
    session.mark_shown()
    first = session.decide("approve", note="looks like a coupon scam")
    demo_ws.sync_engine().sync_once()
    changed = session.change(first.decision_id, "remove")
    assert changed.note is None and changed.supersedes == first.decision_id
    assert changed.item_id == first.item_id  # the chosen item only
