"""An escalated item shows the first review (who, what, note, timeline) in readable
lines in the context panel; an account with the `senior` role opens the review
workspace."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reviewer.protocol import Item

ESCALATED = {
    "report_reason": "reported as hateful",
    "escalated_from": "hs-0007",
    "escalated_by": "demo",
    "first_decision": "escalate (slur)",
    "first_decision_id": "5f0c2a8e-2f6b-4c55-9a53-1d8e8f3b8a10",
    "escalation_note": "reclaimed usage? needs policy",
    "first_timeline": "shown 0.0 s · reveal_start 1.2 s (hold) · decided 4.0 s (escalate)",
}


def _item(context: dict[str, str]) -> Item:
    return Item(id="esc-1", queue="escalations", kind="text", text="…", category="hate",
                severity=2, context=context, created_at=datetime.now(UTC))


def test_the_context_panel_shows_the_first_review_of_an_escalated_item(qtbot: Any) -> None:
    from ui.review.context_panel import ContextPanel

    panel = ContextPanel()
    qtbot.addWidget(panel)
    panel.show_item(_item(ESCALATED))
    lines = panel.escalation.text().splitlines()
    assert lines == [
        "Escalated — first review:",
        "From item: hs-0007",
        "Escalated by: demo",
        "First decision: escalate (slur)",
        "Their note: reclaimed usage? needs policy",
        "Their timeline: shown 0.0 s · reveal_start 1.2 s (hold) · decided 4.0 s (escalate)",
    ]
    assert "first_decision" not in panel.escalation.text()  # no raw keys on screen
    assert panel.fields["report_reason"].text() == "reported as hateful"
    panel.show_item(_item({"report_reason": "spam"}))
    assert panel.escalation.text() == ""
    panel.show_item(_item(ESCALATED))
    panel.show_item(None)
    assert panel.escalation.text() == ""


def test_a_senior_account_opens_the_review_workspace() -> None:
    from ui.workspaces import workspaces_for

    assert [w.id for w in workspaces_for(["senior"])] == ["review"]
    assert [w.id for w in workspaces_for(["reviewer", "senior"])] == ["review"]
    assert [w.id for w in workspaces_for(["senior", "qa_lead"])] == ["review", "quality"]
