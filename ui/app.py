"""Start the desktop app: log in (or resume), open the workspace of the account's role.

`run_app` is what `reviewer` and `reviewer demo` call. Every step that talks to the
server runs on the network worker; the flow between windows is `AppFlow`. The app ends
the same way however it is asked to: the last workspace closed, Ctrl+Q, or SIGTERM,
SIGINT or SIGHUP from outside all quit the event loop, and the windows, the decoder child
processes and the workers are shut down on the way out (`ui.lifetime`), after the
reviewer's leased, undecided items are handed back to the server (a few seconds at most).
"""

from __future__ import annotations

import logging
import sys
from importlib import resources
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.binding_check import binding_problem
from ui.errors import explain
from ui.lifetime import quit_on_signals
from ui.login_dialog import LoginDialog
from ui.workers import Op, Workers
from ui.workspaces import (
    Workspace,
    WorkspaceChooser,
    WorkspaceEntry,
    no_workspace_message,
    roles_of,
    workspaces_for,
)

if TYPE_CHECKING:
    from reviewer.workstation import Workstation


def load_style() -> str:
    """The app style sheet from resources/style.qss ("" if missing)."""
    try:
        return resources.files("resources").joinpath("style.qss").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return ""


class AppFlow(QObject):
    """Login -> the role's workspace (a chooser first for several roles), re-entering
    login on AuthExpired; `workspace` is the open one, `switch_workspace()` changes it."""

    def __init__(self, workstation: Workstation, workers: Workers, *, demo: bool = False) -> None:
        super().__init__()
        self.workstation, self.workers, self.demo = workstation, workers, demo
        self.login: LoginDialog | None = None
        self.chooser: WorkspaceChooser | None = None
        self.workspace: WorkspaceEntry | None = None
        self.workspace_id: str | None = None
        self._switching = False

    @property
    def available(self) -> list[Workspace]:
        return workspaces_for(roles_of(self.workstation.user))

    @property
    def window(self) -> Any:
        """The open workspace's main window (None before one is open)."""
        return getattr(self.workspace, "window", None)

    def start(self) -> None:
        Op(self.workstation.resume).success(self._resumed).failure(
            lambda error: self.show_login(reason=explain(error))
        ).run_on(self.workers.network, self.workers)

    def _resumed(self, user: Any) -> None:
        if user is None:
            self.show_login()
        else:
            self.open_workspace()

    def show_login(self, reason: str | None = None) -> None:
        self.login = LoginDialog(self.workstation, self.workers, reason=reason)
        self.login.accepted.connect(self.open_workspace)
        self.login.rejected.connect(QApplication.quit)
        self.login.show()

    def open_workspace(self) -> None:
        """The one workspace of the account, or a chooser between several."""
        available = self.available
        if not available:
            QMessageBox.information(None, "No workspace",
                                    no_workspace_message(roles_of(self.workstation.user)))
            QApplication.quit()
            return
        if len(available) == 1:
            self._open(available[0])
            return
        self.choose_workspace(available)

    def choose_workspace(self, available: list[Workspace]) -> None:
        self.chooser = WorkspaceChooser(available, self.workspace_id)
        self.chooser.accepted.connect(lambda: self._open(self.chooser.chosen))
        self.chooser.rejected.connect(self._chooser_cancelled)
        self.chooser.show()

    def _chooser_cancelled(self) -> None:
        if self.workspace is None:
            QApplication.quit()

    def switch_workspace(self) -> None:
        """Menu (Ctrl+Shift+W): choose another workspace; the open one closes first."""
        available = self.available
        if len(available) < 2:
            return
        self.choose_workspace(available)

    def _open(self, workspace: Workspace | None) -> None:
        if workspace is None:
            return
        if self.workspace is not None:
            self._switching = True
            try:
                self.workspace.close()
            finally:
                self._switching = False
        self.workspace_id = workspace.id
        self.workspace = workspace.create(self)
        self.workspace.start()

    def workspace_closed(self, entry: WorkspaceEntry) -> None:
        """A workspace's window (or its first dialog) was closed: the app ends, unless
        it was closed to switch to another workspace."""
        if self._switching or entry is not self.workspace:
            return
        QApplication.quit()


def release_leases_on_quit(workstation: Workstation) -> None:
    """Hand leased, undecided items back to the queue (bounded in time; never stops
    the quit)."""
    try:
        workstation.release_leases()
    except Exception:  # a quit must finish whatever happens here
        logging.getLogger(__name__).warning("releasing leases failed", exc_info=True)


def run_app(workstation: Workstation, *, demo: bool = False) -> int:
    """Run the app until the person quits; returns the exit code."""
    problem = binding_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Reviewer Workstation")
    app.setQuitOnLastWindowClosed(False)  # dialogs hand over to each other
    app.setStyleSheet(load_style())
    workers = Workers()
    flow = AppFlow(workstation, workers, demo=demo)
    flow.start()
    try:
        with quit_on_signals(app):
            return app.exec()
    finally:
        if flow.workspace is not None:
            flow._switching = True  # closing on the way out is not a request to quit
            flow.workspace.close()
        release_leases_on_quit(workstation)
        workstation.stop_sync()
        workers.shutdown()
        del flow
