"""Keeps a running review window on the policy in force: a coordinator's change reaches a
reviewer's client on its next policy fetch, every few minutes and as soon as the server
is back after an outage, without a restart. The fetch runs on the network worker; the new
policy (tightened by the reviewer's own preferences) is applied on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer.preferences import load_preferences, with_preferences
from ui.workers import Op

if TYPE_CHECKING:
    from reviewer.session import ReviewSession
    from reviewer.workstation import Workstation
    from ui.workers import Workers

REFRESH_MS = 5 * 60 * 1000


class PolicyRefresh(QObject):
    """`changed()` after a new policy is in force in the session."""

    changed = Signal()

    def __init__(self, workstation: Workstation, session: ReviewSession, workers: Workers,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workstation, self.session, self.workers = workstation, session, workers
        self._online = True
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def sync_reported(self, report: Any) -> None:
        """Fetch the policy again when the server is back after an outage."""
        online = bool(getattr(report, "online", True))
        if online and not self._online:
            self.refresh()
        self._online = online

    def refresh(self) -> None:
        workstation = self.workstation

        def fetch() -> Any:
            reply = workstation.policy_now()
            if reply is None:
                return None
            prefs = load_preferences(workstation.store, workstation.username)
            return reply.wellness, with_preferences(reply.wellness, prefs)

        Op(fetch).success(self._apply).run_on(self.workers.network, self.workers)

    def _apply(self, fetched: Any) -> None:
        if fetched is None:
            return  # offline: the cached policy stays in force
        base, policy = fetched
        if policy == self.session.policy:
            return
        self.session.base_policy = base
        self.session.apply_policy(policy)
        self.changed.emit()

    def stop(self) -> None:
        self._timer.stop()
