"""The reviewer's workspace: choose a queue, then review it in the review window.

Registered in `ui.workspaces`; built by the shell's `AppFlow`, whose login, workers and
quit it uses. Every step that talks to the server runs on the network worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewer.errors import AuthExpired
from ui.errors import explain
from ui.review.queue_picker import QueuePicker
from ui.review.window import ReviewWindow
from ui.workers import Op
from ui.workspaces import add_workspace_menu

if TYPE_CHECKING:
    from ui.app import AppFlow


class ReviewWorkspace:
    """Queue picker -> review window."""

    def __init__(self, flow: AppFlow) -> None:
        self.flow = flow
        self.picker: QueuePicker | None = None
        self.window: ReviewWindow | None = None
        self._switching_queue = False

    def start(self) -> None:
        self.show_picker()

    def close(self) -> None:
        if self.picker is not None:
            self.picker.hide()
        if self.window is not None:
            self.window.close()

    def show_picker(self) -> None:
        flow = self.flow
        self.picker = QueuePicker(flow.workstation, flow.workers)
        self.picker.accepted.connect(lambda: self.start_review(self.picker.chosen))
        self.picker.rejected.connect(lambda: flow.workspace_closed(self))
        self.picker.auth_expired.connect(self._picker_auth_expired)
        self.picker.show()

    def _picker_auth_expired(self) -> None:
        if self.picker is not None:
            self.picker.hide()
        self.flow.show_login(reason=AuthExpired().message)

    def start_review(self, queue: str | None) -> None:
        if queue is None:
            return
        flow = self.flow
        Op(lambda: flow.workstation.start_review(queue)).success(self._open_window).failure(
            self._review_failed
        ).run_on(flow.workers.network, flow.workers)

    def _review_failed(self, error: BaseException) -> None:
        if isinstance(error, AuthExpired):
            self.flow.show_login(reason=error.message)
            return
        self.show_picker()
        if self.picker is not None:
            self.picker.info.setText(explain(error))

    def switch_queue(self) -> None:
        """Ctrl+O or the end of a queue: back to the queue picker. The outbox keeps every
        decision (and sends it); the unstarted items of the old queue's lease go back to
        the server for others; the window's close ends its reveal and its decoder."""
        if self.window is None:
            return
        self._switching_queue = True
        self.window.close()

    def _window_closed(self) -> None:
        if self._switching_queue:
            self._switching_queue = False
            self.window = None
            flow = self.flow
            Op(flow.workstation.release_leases).success(lambda _ids: self.show_picker()
                                                        ).failure(lambda _e: self.show_picker()
                                                                  ).run_on(flow.workers.network,
                                                                           flow.workers)
            return
        self.flow.workspace_closed(self)

    def _open_window(self, session: Any) -> None:
        flow = self.flow
        self.window = ReviewWindow(flow.workstation, session, flow.workers,
                                   flow.workstation.sync_loop)
        if flow.demo:
            self.window.setWindowTitle(self.window.windowTitle() + " · demo server")
        add_workspace_menu(self.window, flow)
        self.window.closed.connect(self._window_closed)
        self.window.switch_queue_requested.connect(self.switch_queue)
        self.window.show()
        self.window.activateWindow()
        self.window.show_first_run()
