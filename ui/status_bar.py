"""The review window's status bar: online, waiting decisions, lease time, items left,
and what background requests wait for ("No items: checking again in 30 s").

Filled from `ReviewSession.status()` (a timer each second and every sync report) and
from `fill()` progress for batch downloads. Messages (rejections, refused reveals) go
to the left, transient area.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

SESSION_ONLY_LOGIN = "⚠ No secure keyring: login kept for this session only"


def _lease_text(seconds: int | None) -> str:
    if seconds is None:
        return "Lease: none"
    if seconds <= 0:
        return "Lease: expired (decisions are kept and marked late)"
    minutes, secs = divmod(int(seconds), 60)
    return f"Lease: {minutes}:{secs:02d} left"


class ReviewStatusBar(QStatusBar):
    """Permanent fields on the right, messages on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("Downloading %v/%m")
        self.progress.setVisible(False)
        self.waiting = QLabel("")
        self.waiting.setObjectName("waitingLabel")
        self.waiting.setToolTip("Press F5 to retry now.")
        self.online = QLabel("…")
        self.online.setObjectName("onlineLabel")
        self.pending = QLabel("")
        self.lease = QLabel("")
        self.items_left = QLabel("")
        self.session_only = QLabel(SESSION_ONLY_LOGIN)
        self.session_only.setObjectName("sessionOnlyLabel")
        self.session_only.setToolTip(
            "This machine has no secure keyring, so your login token is kept in memory "
            "only and cached media cannot be kept encrypted across restarts."
        )
        self.session_only.setVisible(False)
        for widget in (self.session_only, self.progress, self.waiting, self.online,
                       self.pending, self.lease, self.items_left):
            self.addPermanentWidget(widget)

    def show_secrets_safety(self, secure: bool, reason: str | None = None) -> None:
        """Say so, permanently, when the login lives in memory for this session only."""
        if reason:
            self.session_only.setText(f"⚠ {reason}")
        self.session_only.setVisible(not secure)

    def show_status(self, status: Any) -> None:
        self.online.setText("● Online" if status.online else "● Offline")
        self.online.setProperty("online", bool(status.online))
        self.online.style().unpolish(self.online)
        self.online.style().polish(self.online)
        self.pending.setText(f"Waiting to sync: {status.pending_sync}")
        self.lease.setText(_lease_text(status.lease_seconds_left))
        self.items_left.setText(f"Items left: {status.items_left}")

    def show_waiting(self, text: str) -> None:
        """What background requests wait for, in words ("Server error, retrying in
        20 s"); hidden when nothing waits."""
        self.waiting.setText(text)
        self.waiting.setVisible(bool(text))

    def show_progress(self, done: int, total: int) -> None:
        if total <= 0 or done >= total:
            self.progress.setVisible(False)
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setVisible(True)

    def say(self, message: str, ms: int = 8000) -> None:
        self.showMessage(message, ms)
