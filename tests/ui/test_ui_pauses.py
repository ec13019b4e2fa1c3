"""Breaks and the daily item cap in the review loop: the pause screen covers the item."""

from __future__ import annotations

from typing import Any

from manual_clock import ManualClock
from PySide6.QtCore import Qt
from ui_helpers import (
    decide_current,
    press,
    qa_decisions,
    save_screenshot,
    set_wellness_policy,
    sync_now,
    wait_for_question,
)

from ui.review.pause_screen import BREAK_TITLE, CAP_TITLE


def _covered(window: Any) -> bool:
    """The pause screen is up and nothing of the item can be painted or grabbed."""
    parts = window.layout_parts
    return (
        parts.pages.currentWidget() is parts.pause
        and not window.view.isVisible()
        and not window.context.isVisible()
        and window.view.displayed_pixmap() is None
        and window.view.displayed_text() == ""
        and window.view.kind not in ("image", "text", "broken")
    )


def test_break_screen_covers_the_item_and_resume_waits_for_the_countdown(
    qtbot: Any, open_review: Any, seeded_server: Any
) -> None:
    set_wellness_policy(seeded_server, break_every_minutes=1, break_length_minutes=1)
    window = open_review("hate-speech")
    clock = ManualClock()
    window.session.breaks.clock = clock
    decide_current(qtbot, window)
    wait_for_question(qtbot, window)
    press(qtbot, window, "5")  # a label chosen before the break stays with its item
    clock.advance(61)
    qtbot.waitUntil(lambda: window.state == "break", timeout=3000)  # the status clock

    screen = window.layout_parts.pause
    assert _covered(window)
    assert screen.title.text() == BREAK_TITLE and screen.countdown.text() == "1:00"
    assert not screen.resume.isEnabled()
    save_screenshot(window, "break-screen")
    waiting = window.current_id
    for key in ("1", "E", "S", "Space", "R", "Ctrl+Z", "6"):  # all do nothing
        press(qtbot, window, key)
    qtbot.keyClick(screen.resume, Qt.Key.Key_Return)  # not before the countdown is over
    assert len(window.session.history(10)) == 1 and window.state == "break"
    assert _covered(window) and not window.view.revealed

    clock.advance(30)
    qtbot.waitUntil(lambda: screen.countdown.text() == "0:30", timeout=2000)
    clock.advance(30)
    qtbot.waitUntil(screen.resume.isEnabled, timeout=2000)
    assert screen.resume.hasFocus()
    qtbot.keyClick(screen.resume, Qt.Key.Key_Return)
    wait_for_question(qtbot, window)
    assert window.current_id == waiting and window.view.isVisible()
    assert window.context.chosen_labels == {"slur"}
    decide_current(qtbot, window)
    assert len(window.session.history(10)) == 2


def test_daily_cap_shows_a_calm_screen_and_undo_still_works(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    set_wellness_policy(seeded_server, daily_item_cap=2)
    window = open_review("spam")
    decide_current(qtbot, window)
    last, _ = decide_current(qtbot, window)
    qtbot.waitUntil(lambda: window.state == "capped", timeout=3000)
    screen = window.layout_parts.pause
    assert _covered(window)
    assert screen.title.text() == CAP_TITLE and "2 items today" in screen.message.text()
    assert not screen.resume.isVisible()
    save_screenshot(window, "cap-screen")
    press(qtbot, window, "1")
    assert len(window.session.history(10)) == 2 and window.state == "capped"

    press(qtbot, window, "Ctrl+Z")  # the last decision comes back and may be redone
    wait_for_question(qtbot, window)
    assert window.current_id == last and window.view.isVisible()
    _, action = decide_current(qtbot, window, "2")
    qtbot.waitUntil(lambda: window.state == "capped", timeout=3000)
    window.refresh_status()  # few items left, but capped: nothing more is leased
    qtbot.waitUntil(lambda: not window.filling, timeout=5000)
    assert window.state == "capped"

    sync_now(workstation)
    on_server = {d.item_id: d.action for d in qa_decisions(seeded_server)}
    assert len(on_server) == 2 and on_server[last] == action
