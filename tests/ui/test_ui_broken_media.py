"""Every kind of broken media reaches "cannot display", and the session goes on."""

from __future__ import annotations

from typing import Any

from ui_helpers import decide_current, press, qa_decisions, sync_now, wait_for_question

from server.seed_content import BROKEN_KINDS, BROKEN_QUEUE


def test_broken_media_each_reach_cannot_display_and_review_goes_on(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review(BROKEN_QUEUE)
    seen: dict[str, str] = {}
    escalate_next = True
    for _ in range(80):
        wait_for_question(qtbot, window)
        cached = window.session.current()
        case = cached.item.context.get("test_case", "")
        if case.startswith("broken:"):
            assert window.broken and window.view.kind == "broken"
            assert window.view.message  # the reason, as a sentence
            item_id = window.current_id
            press(qtbot, window, "1")  # a judgement needs the content: refused
            assert window.current_id == item_id
            assert "cannot be displayed" in window.status.currentMessage()
            assert not window.legend.judgements_offered  # only E and S are offered
            press(qtbot, window, "E" if escalate_next else "S")
            qtbot.waitUntil(lambda i=item_id: window.current_id != i, timeout=5000)
            # The message was about that item: it is gone with it.
            assert "cannot be displayed" not in window.status.currentMessage()
            seen[case.removeprefix("broken:")] = "escalate" if escalate_next else "skip"
            escalate_next = not escalate_next
        else:
            assert not window.broken and window.legend.judgements_offered
            decide_current(qtbot, window)
        if len(seen) == len(BROKEN_KINDS):
            break
    assert set(seen) == set(BROKEN_KINDS)
    decide_current(qtbot, window)  # and the next ordinary item is decided as usual
    sync_now(workstation)
    actions = {d.action for d in qa_decisions(seeded_server)}
    assert {"escalate", "skip"} <= actions
