"""A reviewer's own settings in the review window: keyboard shortcuts and protection
preferences. Each is saved per user and applied at once (menus, legend and help follow
the keys; the prepared views follow the protection)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from reviewer.preferences import PREFERABLE, save_preferences, with_preferences
from ui.actions import rebuild_actions
from ui.key_settings import load_overrides, save_overrides
from ui.legend import Legend
from ui.review.preferences_dialog import PreferencesDialog
from ui.shortcut_settings import ShortcutSettings
from ui.shortcuts import CommandTable, build_table

if TYPE_CHECKING:
    from ui.review.window import ReviewWindow


def change_shortcuts(window: ReviewWindow) -> None:
    """The shortcuts dialog; saved keys apply at once to menus, legend and help."""
    window.reveal.end("settings")
    username = window.workstation.username or ""
    dialog = ShortcutSettings(build_table(window.session.taxonomy),
                              load_overrides(username), window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    save_overrides(username, dialog.overrides)
    apply_table(window, dialog.current)
    window.status.say("Keyboard shortcuts saved.")


def change_preferences(window: ReviewWindow) -> None:
    """Protection preferences: saved per user, applied at once, only ever tighter."""
    window.reveal.end("settings")
    username = window.workstation.username or ""
    store = window.workstation.store
    base, policy = window.session.base_policy, window.session.policy
    # What the reviewer chose shows in the session's policy (no store read on this thread).
    current = {name: getattr(policy, name) for name in PREFERABLE
               if getattr(policy, name) != getattr(base, name)}
    dialog = PreferencesDialog(base, current, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    chosen = dialog.preferences()
    save_preferences(store, username, chosen)  # one small settings commit
    window.session.apply_policy(with_preferences(window.session.base_policy, chosen))
    window.preparer.forget()
    window.presenter.show_current()  # prepared again under the new protection
    window.status.say("Your protection preferences are saved.")


def apply_table(window: ReviewWindow, table: CommandTable) -> None:
    """Use `table` from now on: actions, menus, legend and label chips follow it."""
    window.table = table
    window.actions_by_id = rebuild_actions(window, window.actions_by_id, table,
                                           window.run_command)
    legend = Legend(table)
    window.layout_parts.review_page.layout().replaceWidget(window.legend, legend)
    window.legend.deleteLater()
    window.legend = legend
    legend.offer_judgements(not window.presenter.broken)
    window.context.set_label_commands(table.labels())
    window.show_labels(window.keys.labels)
