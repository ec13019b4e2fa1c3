"""H chooses a past decision, arrows move, a decision key changes it; Esc goes back."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from ui_helpers import decide_current, qa_decisions, sync_now, wait_for_question


def _key(qtbot: Any, window: Any, key: str) -> None:
    """Press `key` where the keyboard focus is, as a reviewer's key press arrives."""
    combination = QKeySequence(key)[0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())


def _rows_about(window: Any, item_id: str) -> list[str]:
    return [text for text in window.history.statuses() if f"  {item_id}  " in text]


def _action_of(window: Any, key: str) -> str:
    return next(c.decides for c in window.table.decisions() if c.key == key)


def test_a_decision_key_in_the_history_changes_the_chosen_past_decision(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review("hate-speech")
    window.view.setFocus()
    older, first_action = decide_current(qtbot, window, "1")
    newer, _ = decide_current(qtbot, window, "1")
    sync_now(workstation)  # both on the server: a change must supersede, not withdraw
    window.feed.refresh_history()
    qtbot.waitUntil(lambda: len(window.history.statuses()) == 2
                    and all("[accepted]" in row for row in window.history.statuses()),
                    timeout=5000)
    wait_for_question(qtbot, window)
    current = window.current_id

    _key(qtbot, window, "H")
    assert window.history.list.hasFocus()
    assert window.history.chosen_decision_id() is not None
    assert newer in window.history.list.currentItem().text()  # newest first
    _key(qtbot, window, "Down")
    assert older in window.history.list.currentItem().text()
    old_id = window.history.chosen_decision_id()
    changed_to = _action_of(window, "2")
    assert changed_to != first_action
    _key(qtbot, window, "2")

    qtbot.waitUntil(lambda: any(f"→  {changed_to}" in row for row in _rows_about(window, older)),
                    timeout=5000)
    assert window.current_id == current  # the item on screen was not decided
    assert len(window.session.history(10)) == 3

    _key(qtbot, window, "Escape")
    assert window.view.hasFocus() and not window.history.list.hasFocus()
    _key(qtbot, window, "3")  # decides the item on screen again
    qtbot.waitUntil(lambda: window.current_id != current, timeout=5000)

    sync_now(workstation)
    on_server = qa_decisions(seeded_server)
    about_older = sorted((d for d in on_server if d.item_id == older),
                         key=lambda d: d.decided_at)
    assert [d.action for d in about_older] == [first_action, changed_to]  # both on record
    assert str(about_older[0].decision_id) == old_id
    assert about_older[1].supersedes == about_older[0].decision_id
    assert [d.action for d in on_server if d.item_id == newer] == [first_action]
    assert [d.action for d in on_server if d.item_id == current] == [_action_of(window, "3")]
    assert len(on_server) == 4


def test_changing_an_unsent_decision_replaces_it_before_it_reaches_the_server(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review("hate-speech")
    window.view.setFocus()
    item_id, _ = decide_current(qtbot, window, "1")
    qtbot.waitUntil(lambda: len(window.history.statuses()) == 1, timeout=5000)

    _key(qtbot, window, "H")
    _key(qtbot, window, "2")
    qtbot.waitUntil(lambda: any(f"→  {_action_of(window, '2')}" in row
                                for row in _rows_about(window, item_id)), timeout=5000)
    _key(qtbot, window, "Escape")
    assert window.view.hasFocus()

    sync_now(workstation)
    on_server = qa_decisions(seeded_server)
    assert [(d.item_id, d.action, d.supersedes) for d in on_server] == [
        (item_id, _action_of(window, "2"), None)
    ]


def _current_on_server(decisions: list[Any], item_id: str) -> list[Any]:
    """The item's decisions that count: those no later decision supersedes."""
    about = [d for d in decisions if d.item_id == item_id]
    superseded = {d.supersedes for d in about if d.supersedes}
    return [d for d in about if d.decision_id not in superseded]


def test_a_second_key_in_the_history_changes_the_same_decision_again(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review("hate-speech")
    window.view.setFocus()
    synced, _ = decide_current(qtbot, window, "1")
    sync_now(workstation)
    unsent, _ = decide_current(qtbot, window, "1")
    qtbot.waitUntil(lambda: len(window.history.statuses()) == 2, timeout=5000)
    wait_for_question(qtbot, window)
    on_screen = window.current_id

    _key(qtbot, window, "H")  # the newest: still unsent
    for key in ("2", "3"):
        _key(qtbot, window, key)
        qtbot.waitUntil(lambda k=key: any(f"→  {_action_of(window, k)}" in row
                                          for row in _rows_about(window, unsent)),
                        timeout=5000)
        assert window.history.list.hasFocus()
        assert unsent in window.history.list.currentItem().text()
        assert _action_of(window, key) in window.history.list.currentItem().text()
    _key(qtbot, window, "Down")  # the synced decision, below the changed one
    assert synced in window.history.list.currentItem().text()
    for key in ("2", "3"):
        _key(qtbot, window, key)
        qtbot.waitUntil(lambda k=key: any(f"→  {_action_of(window, k)}" in row
                                          for row in _rows_about(window, synced)),
                        timeout=5000)
        assert _action_of(window, key) in window.history.list.currentItem().text()
    assert window.current_id == on_screen  # no key went to the item on screen

    sync_now(workstation)
    on_server = qa_decisions(seeded_server)
    for item_id in (synced, unsent):
        counting = _current_on_server(on_server, item_id)
        assert [d.action for d in counting] == [_action_of(window, "3")], item_id
    assert on_screen not in {d.item_id for d in on_server}
