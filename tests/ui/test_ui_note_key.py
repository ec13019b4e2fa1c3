"""N opens the note dialog; the note travels with the next decision only; Esc cancels."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from ui_helpers import decide_by_key, press, qa_decisions, sync_now

from ui.review.note_dialog import NoteDialog


def _answer_note_dialog(qtbot: Any, text: str, key: str, seen: dict[str, Any]) -> None:
    """Once the note dialog is up and has the keyboard, type `text` where the focus is
    and press `key` ("Ctrl+Return" or "Escape"). Keys are never typed before the dialog
    has the focus (letters are review shortcuts), and the dialog is closed whatever
    happens, so a failure cannot leave the test stuck in its modal loop."""
    tries = [0]

    def answer() -> None:
        tries[0] += 1
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if not isinstance(dialog, NoteDialog) or focus is None or focus.window() is not dialog:
            if tries[0] < 300:
                QTimer.singleShot(10, answer)
            elif isinstance(dialog, NoteDialog):
                dialog.reject()  # never got the focus: give up, the asserts say so
            return
        seen["prefilled"] = dialog.edit.toPlainText()
        seen["focus_on_edit"] = focus is dialog.edit
        try:
            qtbot.keyClicks(focus, text)
            combination = QKeySequence(key)[0]
            qtbot.keyClick(focus, combination.key(), combination.keyboardModifiers())
        finally:
            # A button's shortcut clicks it after a short animation: give it a second.
            QTimer.singleShot(1000, dialog, lambda: _close_if_open(dialog, seen))

    QTimer.singleShot(0, answer)


def _close_if_open(dialog: NoteDialog, seen: dict[str, Any]) -> None:
    if dialog.isVisible():
        seen.setdefault("closed_by_key", False)
        dialog.reject()


def _note_key(qtbot: Any, window: Any, text: str, key: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    _answer_note_dialog(qtbot, text, key, seen)
    press(qtbot, window, "N")  # returns when the (modal) dialog has closed
    seen.setdefault("closed_by_key", True)  # before the fallback timer closed it
    assert seen.get("focus_on_edit"), "the note dialog opens with the cursor in the note"
    assert seen.get("closed_by_key"), f"{key} should close the note dialog"
    return seen


def test_note_key_sends_the_note_with_the_next_decision_only(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review("hate-speech")
    first = window.current_id
    _note_key(qtbot, window, "Slur in the second line, see context", "Ctrl+Return")
    assert window.current_id == first and window.state == "question"  # nothing decided yet
    assert window.session.history(5) == []
    assert "Slur in the second line, see context" in window.context.note.text()

    assert decide_by_key(qtbot, window, "1") == first
    assert window.context.note.text() == ""  # the note went with that decision
    second = decide_by_key(qtbot, window, "2")

    sync_now(workstation)
    on_server = {d.item_id: d for d in qa_decisions(seeded_server)}
    actions = {c.key: c.decides for c in window.table.decisions()}
    assert on_server[first].action == actions["1"]
    assert on_server[first].note == "Slur in the second line, see context"
    assert "note" in [e.type for e in on_server[first].events]
    assert on_server[second].action == actions["2"]
    assert on_server[second].note is None


def test_escape_in_the_note_dialog_cancels_and_keeps_the_earlier_note(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review("hate-speech")
    cancelled = window.current_id
    _note_key(qtbot, window, "never sent", "Escape")
    assert window.context.note.text() == ""
    assert window.current_id == cancelled and window.state == "question"
    decide_by_key(qtbot, window, "1")

    kept = window.current_id
    _note_key(qtbot, window, "context matters", "Ctrl+Return")
    seen = _note_key(qtbot, window, " and more", "Escape")
    assert seen["prefilled"] == "context matters"  # the dialog opens on the note so far
    decide_by_key(qtbot, window, "1")

    sync_now(workstation)
    on_server = {d.item_id: d for d in qa_decisions(seeded_server)}
    assert on_server[cancelled].note is None
    assert "note" not in [e.type for e in on_server[cancelled].events]
    assert on_server[kept].note == "context matters"
