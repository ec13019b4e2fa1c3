"""Log in to a review server. The network call runs on the network worker.

Shown at start when there is no usable stored token, and again whenever a worker meets
`AuthExpired` (the session's work stays in the local store, so nothing is lost).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.errors import explain
from ui.workers import Op, Workers

if TYPE_CHECKING:
    from reviewer.workstation import Workstation

INSECURE_WARNING = "No secure keyring"


class LoginDialog(QDialog):
    """Server URL, username and password; Enter submits; `user` is set on success."""

    def __init__(
        self,
        workstation: Workstation,
        workers: Workers,
        parent: QWidget | None = None,
        *,
        reason: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle("Log in · Reviewer Workstation")
        self.setMinimumWidth(420)
        self._workstation = workstation
        self._workers = workers
        self.user: Any = None
        layout = QVBoxLayout(self)
        notice = workstation.secrets_notice or INSECURE_WARNING
        self.banner = QLabel(f"⚠ {notice}. You will need to log in again next time.")
        self.banner.setObjectName("warningBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(not workstation.secure_secrets)
        layout.addWidget(self.banner)
        self.reason = QLabel(reason or "")
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        layout.addWidget(self.reason)
        form = QFormLayout()
        self.server = QLineEdit(workstation.last_server() or "")
        self.server.setPlaceholderText("https://review.example.com")
        self.username = QLineEdit(workstation.last_username() or "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Server", self.server)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log in")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        first_empty = next(
            (f for f in (self.server, self.username, self.password) if not f.text()),
            self.password,
        )
        first_empty.setFocus()

    def submit(self) -> None:
        server, username = self.server.text().strip(), self.username.text().strip()
        password = self.password.text()
        if not (server and username and password):
            self.error.setText("Enter the server address, your username and your password.")
            return
        self._busy(True)
        self.error.setText("Logging in…")
        Op(lambda: self._workstation.login(server, username, password)).success(
            self._logged_in
        ).failure(self._failed).run_on(self._workers.network, self._workers)

    def _logged_in(self, user: Any) -> None:
        self.user = user
        self._busy(False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.error.setText(explain(error))
        self.password.selectAll()
        self.password.setFocus()

    def _busy(self, busy: bool) -> None:
        for widget in (self.server, self.username, self.password, self.buttons):
            widget.setEnabled(not busy)
