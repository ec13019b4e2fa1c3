"""QActions and menus built from the CommandTable: one QAction per command.

Every action has its shortcut with auto-repeat off (a held key fires once), lives on the
window (so shortcuts work wherever focus is inside it) and appears in its menu with
the key shown, so everything the keyboard does the mouse can do too. Label commands are
checkable: their check marks mirror the labels chosen for the current item.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.shortcuts import Command, CommandTable

COMMAND_ID = "commandId"


def build_actions(
    window: QMainWindow, table: CommandTable, handler: Callable[[Command], None]
) -> dict[str, QAction]:
    """Create the actions, add them to the window and to its menu bar, in table order."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    for name in table.menus:
        if table.in_menu(name):  # no empty menus (a queue without labels)
            menus[name] = window.menuBar().addMenu(f"&{name}")
    for command in table:
        action = QAction(command.title, window)
        action.setObjectName(f"action:{command.id}")
        action.setProperty(COMMAND_ID, command.id)
        if command.key:
            action.setShortcut(QKeySequence(command.key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setAutoRepeat(False)
        action.setCheckable(command.toggles is not None)
        action.triggered.connect(lambda _checked=False, c=command: handler(c))
        window.addAction(action)
        if command.menu not in menus:
            menus[command.menu] = window.menuBar().addMenu(f"&{command.menu}")
        menus[command.menu].addAction(action)
        actions[command.id] = action
    return actions


def menu_command_ids(window: QMainWindow) -> list[str]:
    """The command ids reachable from the menu bar (for checks against the table)."""
    ids: list[str] = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        ids.extend(
            a.property(COMMAND_ID) for a in menu.actions() if a.property(COMMAND_ID) is not None
        )
    return ids


def action_for_key(actions: dict[str, QAction], sequence: QKeySequence) -> QAction | None:
    """The action bound to exactly this key sequence, if any."""
    for action in actions.values():
        if not action.shortcut().isEmpty() and action.shortcut().matches(sequence) == (
            QKeySequence.SequenceMatch.ExactMatch
        ):
            return action
    return None


def show_chosen_labels(
    actions: dict[str, QAction], table: CommandTable, chosen: Collection[str]
) -> None:
    """Check the label actions of the chosen labels (signals blocked: display only)."""
    for command in table.labels():
        action = actions[command.id]
        blocked = action.blockSignals(True)
        action.setChecked(command.toggles in chosen)
        action.blockSignals(blocked)


def rebuild_actions(
    window: QMainWindow, old: dict[str, QAction], table: CommandTable,
    handler: Callable[[Command], None],
) -> dict[str, QAction]:
    """Replace the table's actions and menus after a key change; menus that are not the
    table's (a workspace's own) stay, after the table's menus."""
    bar = window.menuBar()
    others = [a.menu() for a in bar.actions() if a.menu() is not None
              and not any(x.property(COMMAND_ID) is not None for x in a.menu().actions())]
    for action in old.values():
        window.removeAction(action)
        action.deleteLater()
    bar.clear()
    actions = build_actions(window, table, handler)
    for menu in others:
        bar.addMenu(menu)
    return actions
