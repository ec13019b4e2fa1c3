"""Label keys choose labels for the current item; the next decision key records them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from ui_helpers import press, qa_decisions, save_screenshot, sync_now, wait_for_question

from ui.actions import menu_command_ids
from ui.legend import HelpDialog, key_text


def _label_keys(window: Any) -> dict[str, str]:
    """label id -> its key, from the window's one shortcut table."""
    return {c.toggles: c.key for c in window.table.labels()}


def _chosen_everywhere(window: Any) -> frozenset[str]:
    """The chosen labels, checked to agree between context panel, legend and menu."""
    chosen = window.context.chosen_labels
    assert window.legend.chosen_labels == chosen
    checked = {c.toggles for c in window.table.labels()
               if window.actions_by_id[c.id].isChecked()}
    assert checked == chosen
    return chosen


def test_toggled_labels_go_with_the_next_decision_and_reset_on_the_next_item(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review("hate-speech")
    keys = _label_keys(window)
    assert keys == {"slur": "5", "harassment": "6", "hate_symbol": "7", "counter_speech": "8"}
    item_id = window.current_id
    press(qtbot, window, keys["slur"])
    press(qtbot, window, keys["harassment"])
    assert _chosen_everywhere(window) == {"slur", "harassment"}
    save_screenshot(window, "review-window-labels")
    press(qtbot, window, keys["slur"])  # untoggled
    assert _chosen_everywhere(window) == {"harassment"}
    assert window.current_id == item_id and window.session.history(5) == []  # no decision

    press(qtbot, window, "1")
    qtbot.waitUntil(lambda: window.current_id != item_id, timeout=5000)
    assert _chosen_everywhere(window) == frozenset()  # the next item starts with none
    wait_for_question(qtbot, window)
    second = window.current_id
    press(qtbot, window, "2")  # no label chosen: recorded without labels
    qtbot.waitUntil(lambda: window.current_id != second, timeout=5000)

    sync_now(workstation)
    on_server = {d.item_id: d for d in qa_decisions(seeded_server)}
    assert on_server[item_id].labels == ["harassment"]
    assert on_server[item_id].action == next(c.decides for c in window.table.decisions()
                                             if c.key == "1")
    assert on_server[second].labels == []


def test_a_held_label_key_toggles_once(qtbot: Any, open_review: Any) -> None:
    window = open_review("hate-speech")
    qtbot.keyPress(window, Qt.Key.Key_7)
    for _ in range(5):  # what the OS sends while a key is held
        target = QApplication.focusWidget() or window
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_7,
                                                 Qt.KeyboardModifier.NoModifier, "7", True))
    qtbot.keyRelease(window, Qt.Key.Key_7)
    assert _chosen_everywhere(window) == {"hate_symbol"}
    assert window.session.history(5) == []


def test_label_keys_are_in_the_legend_the_labels_menu_and_the_help(
    qtbot: Any, open_review: Any
) -> None:
    window = open_review("hate-speech")
    label_ids = [c.id for c in window.table.labels()]
    assert len(label_ids) == 4
    assert set(label_ids) <= set(window.legend.command_ids)
    assert set(label_ids) <= set(menu_command_ids(window))
    labels_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Labels")
    assert [a.property("commandId") for a in labels_menu.actions()] == label_ids
    help_dialog = HelpDialog(window.table, window)
    qtbot.addWidget(help_dialog)
    rows = {help_dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole): r
            for r in range(help_dialog.table.rowCount())}
    for command in window.table.labels():
        row = rows[command.id]
        assert help_dialog.table.item(row, 0).text() == key_text(command.key)
        assert help_dialog.table.item(row, 1).text() == command.title
        assert help_dialog.table.item(row, 2).text() == "Labels"
    chips = {c.property("commandId"): c.text()
             for c in window.legend.findChildren(type(window.status.pending))
             if c.property("commandId")}
    assert all(f"<b>{k}</b>" in chips[f"label:{i}"] for i, k in _label_keys(window).items())
