"""Remappable shortcuts: a person's own keys, refused on conflict, saved per user, and
followed at once by menus, legend and help."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from reviewer.protocol import Taxonomy, TaxonomyEntry
from ui.actions import menu_command_ids
from ui.key_settings import load_overrides, save_overrides
from ui.shortcut_settings import ShortcutSettings
from ui.shortcuts import build_table

TAXONOMY = Taxonomy(actions=[TaxonomyEntry(id="approve", title="Approve", key="1"),
                             TaxonomyEntry(id="remove", title="Remove", key="2")])
REORDERED = Taxonomy(actions=[TaxonomyEntry(id="remove", title="Remove", key="1"),
                              TaxonomyEntry(id="approve", title="Approve", key="2")])


def test_a_remap_follows_the_action_when_the_taxonomy_is_reordered() -> None:
    mine = {"decide:remove": "7"}
    assert build_table(TAXONOMY, overrides=mine).by_id("decide:remove").key == "7"
    reordered = build_table(REORDERED, overrides=mine)
    assert reordered.by_id("decide:remove").key == "7"  # bound to the action, not to "2"
    assert reordered.by_id("decide:approve").key == "2"


def test_giving_a_default_key_away_unbinds_its_old_command() -> None:
    table = build_table(TAXONOMY, overrides={"note": "1"})
    assert table.by_id("note").key == "1"
    assert table.by_id("decide:approve").key is None
    keys = [c.key for c in table if c.key]
    assert len(keys) == len(set(keys))


def test_a_conflicting_key_is_refused_with_the_holders_name(qtbot: Any) -> None:
    dialog = ShortcutSettings(build_table(TAXONOMY), {})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    assert not dialog.set_key("note", "Ctrl+Z")
    assert "Undo last decision" in dialog.error.text()
    assert dialog.current.by_id("note").key == "N" and dialog.overrides == {}
    assert dialog.set_key("note", "M")
    assert dialog.overrides == {"note": "M"}
    qtbot.keyClick(dialog.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert dialog.overrides == {} and dialog.current.by_id("note").key == "N"


def test_keys_are_changed_from_the_keyboard_saved_and_followed_at_once(
    qtbot: Any, open_review: Any
) -> None:
    window = open_review()

    def in_settings() -> None:  # choose "Add a note…", F2, press M, save with Ctrl+Enter
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ShortcutSettings)
        row = next(r for r in range(dialog.table.rowCount())
                   if dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "note")
        dialog.table.setCurrentCell(row, 0)
        qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert "Undo last decision" in dialog.error.text()  # refused: Ctrl+Z is taken
        qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
        qtbot.keyClick(dialog.table, Qt.Key.Key_M)
        assert dialog.overrides.get("note") == "M"
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(100, in_settings)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.table.by_id("note").key == "M", timeout=10000)

    assert load_overrides("demo") == {"note": "M"}  # saved for this user
    assert window.actions_by_id["note"].shortcut() == QKeySequence("M")
    assert sorted(menu_command_ids(window)) == sorted(c.id for c in window.table)
    assert window.legend.command_ids == [c.id for c in window.table]
    assert "M" in window.legend.findChildren(type(window.status.online))[
        window.legend.command_ids.index("note")].text()


def test_saved_keys_survive_a_restart(qtbot: Any, open_review: Any) -> None:
    save_overrides("demo", {"undo": "Ctrl+U"})
    window = open_review()  # a new window reads the saved keys
    assert window.table.by_id("undo").key == "Ctrl+U"
    assert window.actions_by_id["undo"].shortcut() == QKeySequence("Ctrl+U")
    save_overrides("demo", {})
    assert load_overrides("demo") == {}
