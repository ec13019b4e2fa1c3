"""The workspaces of the four roles, and the chooser between them.

After login the app opens the workspace of the account's role; an account with several
roles chooses, and can switch later from the Workspace menu (Ctrl+Shift+W). Each wing
registers one `Workspace` here by the import path of its entry class, so the shell never
imports a wing: `ui/review`, `ui/qa` and `ui/coordinator` stay out of each other's way.

A wing's entry class is built with the `AppFlow` (workstation, workers, and the shell's
`show_login`, `switch_workspace`, `workspace_closed`) and has `start()`, `close()` and
`window` (its main window once open). It reuses the shell (login, status bar, errors,
workers) and, for content, `ui/protected`; it never copies them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.app import AppFlow

SWITCH_KEY = "Ctrl+Shift+W"
APP_TITLE = "Reviewer Workstation"


@dataclass(frozen=True)
class Workspace:
    id: str
    title: str
    role: str
    entry: str
    """"module:Class" of the wing's entry class, imported only when opened."""

    def create(self, flow: AppFlow) -> WorkspaceEntry:
        module, _, name = self.entry.partition(":")
        entry_class = getattr(importlib.import_module(module), name)
        return entry_class(flow)


class WorkspaceEntry(Protocol):
    window: QMainWindow | None

    def start(self) -> None: ...

    def close(self) -> None: ...


WORKSPACES: tuple[Workspace, ...] = (
    Workspace("review", "Review", "reviewer", "ui.review.entry:ReviewWorkspace"),
    Workspace("quality", "Quality review", "qa_lead", "ui.qa.entry:QualityWorkspace"),
    Workspace("wellness", "Wellness console", "wellness",
              "ui.coordinator.entry:CoordinatorWorkspace"),
)


def workspaces_for(roles: Iterable[str]) -> list[Workspace]:
    """The workspaces these roles open, in the order above."""
    held = {"reviewer" if role == "senior" else role for role in roles}  # seniors review
    return [w for w in WORKSPACES if w.role in held]


def no_workspace_message(roles: Iterable[str]) -> str:
    """What an account without any workspace is told (an admin-only account, say)."""
    held = ", ".join(sorted(roles)) or "none"
    return (f"There is no workspace in this app for your roles ({held}). Administrators "
            "manage users, queues and content with the reviewer-server command.")


def window_title(workspace: Workspace, detail: str = "") -> str:
    """"Reviewing spam — Review · Reviewer Workstation": what, which workspace, the app."""
    what = f"{detail} — {workspace.title}" if detail else workspace.title
    return f"{what} · {APP_TITLE}"


def add_workspace_menu(window: QMainWindow, flow: AppFlow) -> QAction | None:
    """A Workspace menu with "Switch workspace…" when the account has more than one."""
    if len(flow.available) < 2:
        return None
    action = QAction("Switch workspace…", window)
    action.setObjectName("action:switch_workspace")
    action.setShortcut(QKeySequence(SWITCH_KEY))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setAutoRepeat(False)
    action.triggered.connect(lambda _checked=False: flow.switch_workspace())
    window.addAction(action)
    window.menuBar().addMenu("&Workspace").addAction(action)
    return action


class WorkspaceChooser(QDialog):
    """Arrows move, Enter opens; `chosen` is the Workspace after accept."""

    def __init__(self, workspaces: list[Workspace], current: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspaceChooser")
        self.setWindowTitle(f"Choose a workspace · {APP_TITLE}")
        self.setMinimumWidth(380)
        self.chosen: Workspace | None = None
        self._workspaces = workspaces
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Your account has several roles. Which workspace?"))
        self.list = QListWidget()
        for workspace in workspaces:
            row = QListWidgetItem(workspace.title)
            row.setData(Qt.ItemDataRole.UserRole, workspace.id)
            self.list.addItem(row)
        ids = [w.id for w in workspaces]
        self.list.setCurrentRow(ids.index(current) if current in ids else 0)
        self.list.itemActivated.connect(lambda _row: self.choose())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open")
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setFocus()

    def choose(self) -> None:
        row = self.list.currentRow()
        if row < 0 or self.chosen is not None:  # Enter can arrive twice (list + dialog)
            return
        self.chosen = self._workspaces[row]
        self.accept()


def roles_of(user: Any) -> list[str]:
    return list(getattr(user, "roles", []) or [])
