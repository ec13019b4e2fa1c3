"""Menus, legend and help are all built from the one shortcut table."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence

from ui.actions import menu_command_ids
from ui.legend import HelpDialog


def test_menus_legend_and_help_list_the_commands_of_the_table(
    qtbot: Any, open_review: Any
) -> None:
    window = open_review()
    table_ids = [c.id for c in window.table]
    assert sorted(menu_command_ids(window)) == sorted(table_ids)
    assert window.legend.command_ids == table_ids
    help_dialog = HelpDialog(window.table, window)
    qtbot.addWidget(help_dialog)
    assert help_dialog.command_ids() == table_ids
    for command in window.table:
        action = window.actions_by_id[command.id]
        assert not action.autoRepeat()
        assert action.shortcut() == QKeySequence(command.key or "")
    keys = [c.key for c in window.table if c.key]
    assert len(keys) == len(set(keys))
    decision_keys = {c.key for c in window.table.decisions()}
    assert {"1", "E", "S"} <= decision_keys
