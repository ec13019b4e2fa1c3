"""The wellness coordinator's workspace: the console in a main window.

Registered in `ui.workspaces`; built by the shell's `AppFlow`. It asks the Workstation
for the coordinator's service (API only) and gives the console the shell's workers:
never the vault or a media client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow

from reviewer.errors import AuthExpired
from ui.coordinator.console import CoordinatorConsole
from ui.workspaces import WORKSPACES, add_workspace_menu, window_title

if TYPE_CHECKING:
    from ui.app import AppFlow


class CoordinatorWindow(QMainWindow):
    closed = Signal()

    def __init__(self, console: CoordinatorConsole) -> None:
        super().__init__()
        self.setObjectName("coordinatorWindow")
        self.console = console
        self.setCentralWidget(console)
        workspace = next(w for w in WORKSPACES if w.id == "wellness")
        self.setWindowTitle(window_title(workspace))
        self.resize(1200, 800)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)
        self.closed.emit()


class CoordinatorWorkspace:
    def __init__(self, flow: AppFlow) -> None:
        self.flow = flow
        self.window: CoordinatorWindow | None = None

    def start(self) -> None:
        flow = self.flow
        console = CoordinatorConsole(flow.workstation.coordinator(), flow.workers,
                                     on_auth_expired=self._auth_expired)
        self.window = CoordinatorWindow(console)
        add_workspace_menu(self.window, flow)
        self.window.closed.connect(lambda: flow.workspace_closed(self))
        self.window.show()
        self.window.activateWindow()
        console.start()

    def close(self) -> None:
        if self.window is not None:
            self.window.close()

    def _auth_expired(self) -> None:
        if self.window is not None:
            self.window.hide()
        self.flow.show_login(reason=AuthExpired().message)
