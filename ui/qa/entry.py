"""The QA lead's workspace ("Quality review"), registered in `ui.workspaces`.

Built by the shell's `AppFlow`; opening it fetches the QA lead's policy on the network
worker (`Workstation.start_quality`), then shows the quality window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewer.errors import AuthExpired
from ui.errors import explain
from ui.qa.window import QualityWindow
from ui.workers import Op
from ui.workspaces import WORKSPACES, add_workspace_menu, window_title

if TYPE_CHECKING:
    from ui.app import AppFlow


class QualityWorkspace:
    def __init__(self, flow: AppFlow) -> None:
        self.flow = flow
        self.window: QualityWindow | None = None
        self.service: Any = None

    def start(self) -> None:
        flow = self.flow
        Op(flow.workstation.start_quality).success(self._open).failure(self._failed).run_on(
            flow.workers.network, flow.workers)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, AuthExpired):
            self.flow.show_login(reason=error.message)
            return
        self.flow.show_login(reason=explain(error))

    def _open(self, service: Any) -> None:
        flow = self.flow
        self.service = service
        workspace = next(w for w in WORKSPACES if w.id == "quality")
        title = window_title(workspace) + (" · demo server" if flow.demo else "")
        self.window = QualityWindow(service, flow.workers, title)
        add_workspace_menu(self.window, flow)
        self.window.closed.connect(lambda: flow.workspace_closed(self))
        self.window.show()
        self.window.activateWindow()
        self.window.finder.submit()  # the last week's decisions, at once
        self.window.refresh_report()

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
