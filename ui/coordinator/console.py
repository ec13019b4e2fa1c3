"""The wellness coordinator's workspace: policies, a reviewer's effective policy, the report.

Given a `CoordinatorService` (API only) and the app's workers; never a vault or a media
client. Ctrl+1..3 switch tabs; each tab's keys are listed in its module.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from reviewer.coordinator import CoordinatorService
from ui.coordinator.background import Background
from ui.coordinator.effective_view import EffectiveView
from ui.coordinator.policies_panel import PoliciesPanel
from ui.coordinator.report_view import ReportView
from ui.workers import Workers


class CoordinatorConsole(QWidget):
    def __init__(self, service: CoordinatorService, workers: Workers,
                 parent: QWidget | None = None, *,
                 on_auth_expired: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coordinator-console")
        self.message = QLabel(self)
        background = Background(workers, lambda text, _error: self.message.setText(text),
                                on_auth_expired)
        self.policies = PoliciesPanel(service, background, self)
        self.effective = EffectiveView(service, background, self)
        self.report = ReportView(service, background, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.policies, "&Policies")
        self.tabs.addTab(self.effective, "&Effective policy")
        self.tabs.addTab(self.report, "Re&port")
        self.report.reviewer_chosen.connect(self.show_effective)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        for n in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self,
                      lambda n=n: self.tabs.setCurrentIndex(n))

    def show_effective(self, username: str) -> None:
        """The effective policy of `username` (Enter on a reviewer's row of the report)."""
        self.tabs.setCurrentWidget(self.effective)
        self.effective.username.setText(username)
        self.effective.show_reviewer()

    def start(self) -> None:
        """Load the policies and the report (in the background)."""
        self.policies.reload()
        self.report.refresh()
