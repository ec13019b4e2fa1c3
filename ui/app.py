"""Start the desktop app: log in (or resume), choose a queue, review.

`run_app` is what `reviewer` and `reviewer demo` call. Every step that talks to the
server runs on the network worker; the flow between windows is `AppFlow`.
"""

from __future__ import annotations

import sys
from importlib import resources
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from reviewer.errors import AuthExpired
from ui.binding_check import binding_problem
from ui.login_dialog import LoginDialog, explain
from ui.queue_picker import QueuePicker
from ui.review_window import ReviewWindow
from ui.workers import Op, Workers

if TYPE_CHECKING:
    from reviewer.workstation import Workstation


def load_style() -> str:
    """The app style sheet from resources/style.qss ("" if missing)."""
    try:
        return resources.files("resources").joinpath("style.qss").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return ""


class AppFlow(QObject):
    """Login -> queue picker -> review window, re-entering login on AuthExpired."""

    def __init__(self, workstation: Workstation, workers: Workers, *, demo: bool = False) -> None:
        super().__init__()
        self.workstation, self.workers, self.demo = workstation, workers, demo
        self.login: LoginDialog | None = None
        self.picker: QueuePicker | None = None
        self.window: ReviewWindow | None = None

    def start(self) -> None:
        Op(self.workstation.resume).success(self._resumed).failure(
            lambda error: self.show_login(reason=explain(error))
        ).run_on(self.workers.network, self.workers)

    def _resumed(self, user: Any) -> None:
        if user is None:
            self.show_login()
        else:
            self.show_picker()

    def show_login(self, reason: str | None = None) -> None:
        self.login = LoginDialog(self.workstation, self.workers, reason=reason)
        self.login.accepted.connect(self.show_picker)
        self.login.rejected.connect(QApplication.quit)
        self.login.show()

    def show_picker(self) -> None:
        self.picker = QueuePicker(self.workstation, self.workers)
        self.picker.accepted.connect(lambda: self.start_review(self.picker.chosen))
        self.picker.rejected.connect(QApplication.quit)
        self.picker.auth_expired.connect(self._picker_auth_expired)
        self.picker.show()

    def _picker_auth_expired(self) -> None:
        if self.picker is not None:
            self.picker.hide()
        self.show_login(reason=AuthExpired().message)

    def start_review(self, queue: str | None) -> None:
        if queue is None:
            return
        Op(lambda: self.workstation.start_review(queue)).success(self._open_window).failure(
            self._review_failed
        ).run_on(self.workers.network, self.workers)

    def _review_failed(self, error: BaseException) -> None:
        if isinstance(error, AuthExpired):
            self.show_login(reason=error.message)
            return
        self.show_picker()
        if self.picker is not None:
            self.picker.info.setText(explain(error))

    def _open_window(self, session: Any) -> None:
        self.window = ReviewWindow(
            self.workstation, session, self.workers, self.workstation.sync_loop
        )
        if self.demo:
            self.window.setWindowTitle(self.window.windowTitle() + " · demo server")
        self.window.closed.connect(QApplication.quit)
        self.window.show()
        self.window.activateWindow()


def run_app(workstation: Workstation, *, demo: bool = False) -> int:
    """Run the app until the reviewer quits; returns the exit code."""
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
        return app.exec()
    finally:
        workstation.stop_sync()
        workers.shutdown()
        del flow
