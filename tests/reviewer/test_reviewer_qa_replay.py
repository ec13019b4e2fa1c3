"""The replay timeline: steps in order with reveal durations, arrow stepping, playing at
1x and faster, and the decision's fate (late, superseded) at the end."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from reviewer.protocol import DecisionEvent, QADecision
from reviewer.qa_replay import ReplayTimeline


def _decision(**extra: object) -> QADecision:
    now = datetime.now(UTC)
    events = [DecisionEvent(at_ms=0, type="shown"),
              DecisionEvent(at_ms=400, type="reveal_start", mode="hold"),
              DecisionEvent(at_ms=1600, type="reveal_end", duration_ms=1200),
              DecisionEvent(at_ms=2500, type="decided", action="remove")]
    fields = {"decision_id": uuid.uuid4(), "item_id": "q-001", "queue": "q",
              "reviewer": "alice", "lease_id": "L-1", "action": "remove", "labels": ["spam"],
              "status": "accepted", "started_at": now, "decided_at": now, "received_at": now,
              "events": events, "handle_ms": 2500, "reveals": 1, **extra}
    return QADecision.model_validate(fields)


def test_steps_come_in_order_with_the_reveal_and_its_duration() -> None:
    timeline = ReplayTimeline(_decision())
    assert [(s.at_ms, s.kind) for s in timeline.steps] == [
        (0, "shown"), (400, "reveal"), (2500, "decided")]
    assert timeline.steps[1].duration_ms == 1200
    assert timeline.steps[1].text == "Revealed (hold) for 1.2 s"
    assert timeline.steps[2].text == "Decided remove with spam"


def test_arrows_step_and_playing_moves_at_the_chosen_speed() -> None:
    timeline = ReplayTimeline(_decision())
    assert timeline.step(+1).kind == "reveal"
    assert timeline.step(+1).kind == "decided"
    assert timeline.step(+1).kind == "decided"  # stays at the end
    assert timeline.step(-1).kind == "reveal"
    timeline.seek(0)
    timeline.play()
    timeline.advance(500)  # 1x: half a second in
    assert timeline.current.kind == "reveal" and timeline.reviewer_revealing()
    assert timeline.faster() == 2.0
    timeline.advance(1000)  # 2x: two more seconds, at 2500 ms
    assert timeline.current.kind == "decided" and not timeline.playing
    assert not timeline.advance(100)


def test_a_late_superseded_decision_says_so_last() -> None:
    timeline = ReplayTimeline(_decision(status="late", superseded_by=uuid.uuid4()))
    assert [s.kind for s in timeline.steps][-2:] == ["late", "superseded"]
