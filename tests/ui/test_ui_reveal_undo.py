"""Reveal by holding Space, the toggled reveal, and undo before and after sync."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from ui_helpers import decide_current, press, qa_decisions, sync_now, wait_for_question


def _until_image(qtbot: Any, window: Any) -> None:
    while window.view.kind != "image" or window.broken:
        decide_current(qtbot, window)
        wait_for_question(qtbot, window)


def test_held_space_reveals_until_release_and_is_recorded_with_its_duration(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review()
    _until_image(qtbot, window)
    item_id = window.current_id
    assert not window.view.revealed

    qtbot.keyPress(window, Qt.Key.Key_Space)
    assert window.view.revealed
    assert window.reveal.mode == "hold"
    qtbot.wait(300)
    qtbot.keyRelease(window, Qt.Key.Key_Space)
    assert not window.view.revealed
    _, action = decide_current(qtbot, window)

    sync_now(workstation)
    decision = next(d for d in qa_decisions(seeded_server) if d.item_id == item_id)
    assert decision.action == action
    reveal_ends = [e for e in decision.events if e.type == "reveal_end"]
    assert [e.type for e in decision.events].count("reveal_start") == 1
    assert len(reveal_ends) == 1 and reveal_ends[0].duration_ms >= 250


def test_toggled_reveal_protects_again_by_itself(qtbot: Any, open_review: Any) -> None:
    window = open_review()
    _until_image(qtbot, window)
    window.session.policy = window.session.policy.model_copy(update={"reveal_timeout_s": 1.0})
    press(qtbot, window, "R")
    assert window.view.revealed and window.reveal.mode == "toggle"
    qtbot.waitUntil(lambda: not window.view.revealed, timeout=3000)


def test_undo_before_sync_withdraws_and_after_sync_supersedes(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review()
    first, _ = decide_current(qtbot, window, "1")
    assert window.session.status().pending_sync == 1
    press(qtbot, window, "Ctrl+Z")
    assert window.current_id == first
    assert window.session.status().pending_sync == 0  # withdrawn: never reaches the server
    wait_for_question(qtbot, window)
    _, second_action = decide_current(qtbot, window, "2")

    synced, _ = decide_current(qtbot, window, "1")
    sync_now(workstation)
    assert window.session.status().pending_sync == 0
    press(qtbot, window, "Ctrl+Z")
    assert window.current_id == synced
    wait_for_question(qtbot, window)
    _, changed_action = decide_current(qtbot, window, "2")
    sync_now(workstation)

    on_server = qa_decisions(seeded_server)
    about_first = [d for d in on_server if d.item_id == first]
    assert [d.action for d in about_first] == [second_action]
    assert "undo" in [e.type for e in about_first[0].events]
    about_synced = sorted((d for d in on_server if d.item_id == synced),
                          key=lambda d: d.decided_at)
    assert len(about_synced) == 2
    assert about_synced[1].action == changed_action
    assert about_synced[1].supersedes == about_synced[0].decision_id
