"""The remaining budget is visible beside the item: reveals left on it, reveal time left
today, items left, time to the next break, and a running reveal's countdown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from ui_helpers import decide_current, set_wellness_policy


def test_the_budget_beside_the_item_follows_reveals_and_decisions(
    qtbot: Any, open_review: Any, seeded_server: Any
) -> None:
    set_wellness_policy(seeded_server, reviewer="demo", max_reveals_per_item=3,
                        daily_reveal_seconds_cap=600, daily_item_cap=50,
                        break_every_minutes=45, reveal_timeout_s=20)
    window = open_review()
    while window.view.kind not in ("image", "text") or window.broken:
        decide_current(qtbot, window)
    window.show_budget()
    text = window.context.budget.text()
    assert "3 reveals left on this item" in text
    assert "10 min of reveal left today" in text
    assert "items left today" in text and "break in" in text

    qtbot.keyClick(window, Qt.Key.Key_R)  # a timed reveal: its countdown shows
    assert window.reveal.active
    assert "protected again in" in window.context.budget.text()
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert not window.reveal.active
    window.show_budget()
    assert "2 reveals left on this item" in window.context.budget.text()

    items_before = window.session.budget().items_left
    decide_current(qtbot, window)
    assert window.session.budget().items_left == items_before - 1
