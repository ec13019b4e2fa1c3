"""Log in again when a worker meets AuthExpired, then carry on where the reviewer was.

The outbox, the ledger and the cached items stay in the local store, so nothing is lost
while the dialog is open; the work that failed is run again once logged in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from reviewer.errors import AuthExpired
from ui.login_dialog import LoginDialog
from ui.workers import Workers

if TYPE_CHECKING:
    from reviewer.workstation import Workstation


class Relogin(QObject):
    """One login dialog at a time; `logged_in` then the queued retries, or `gave_up`."""

    logged_in = Signal()
    gave_up = Signal()

    def __init__(self, workstation: Workstation, workers: Workers, parent: QWidget) -> None:
        super().__init__(parent)
        self._workstation, self._workers, self._parent = workstation, workers, parent
        self._retries: list[Callable[[], None]] = []
        self.dialog: LoginDialog | None = None

    def ask(self, then: Callable[[], None]) -> None:
        """Show the login dialog (if not shown already); run `then` once logged in."""
        self._retries.append(then)
        if self.dialog is not None:
            return
        self.dialog = LoginDialog(
            self._workstation, self._workers, self._parent, reason=AuthExpired().message
        )
        self.dialog.finished.connect(self._finished)
        self.dialog.open()

    def _finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        retries, self._retries = self._retries, []
        if dialog is None or dialog.user is None:
            self.gave_up.emit()
            return
        self.logged_in.emit()
        for retry in retries:
            retry()
