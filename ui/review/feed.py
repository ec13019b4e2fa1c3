"""Keeps the review window fed and informed: leasing more items, status, history, sync.

`fill()` runs on the network worker; an expired login asks to log in again and then
goes on. Sync reports arrive from the SyncLoop thread through `SyncBridge` and refresh
the status bar and the history; decisions the server rejected are announced once each.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from reviewer.errors import AuthExpired
from ui.errors import explain
from ui.review.presenter import ReviewState
from ui.workers import Op

if TYPE_CHECKING:
    from reviewer.session import ReviewSession
    from reviewer.workstation import Workstation
    from ui.relogin import Relogin
    from ui.review.history_panel import HistoryPanel
    from ui.review.presenter import ItemPresenter
    from ui.status_bar import ReviewStatusBar
    from ui.sync_bridge import SyncBridge
    from ui.workers import Workers

FILL_BELOW = 10
FILL_RETRY_S = 5.0


class ItemFeed(QObject):
    """Leases and downloads in the background; refreshes status and history."""

    def __init__(self, workstation: Workstation, session: ReviewSession, workers: Workers,
                 presenter: ItemPresenter, status: ReviewStatusBar, history: HistoryPanel,
                 sync: SyncBridge, relogin: Relogin) -> None:
        super().__init__()
        self.workstation, self.session, self.workers = workstation, session, workers
        self.presenter, self.status, self.history = presenter, status, history
        self.sync, self.relogin = sync, relogin
        self.filling = False
        self._retry_at = 0.0
        self._seen_rejections: set[str] = set()
        self._status_reading = False
        self._status_again = False
        sync.report.connect(self.sync_reported)
        relogin.logged_in.connect(self._relogged)
        relogin.gave_up.connect(
            lambda: status.say("Not logged in: your decisions are kept and will sync later.")
        )

    def fill(self) -> None:
        """Lease and download more items on the network worker."""
        if self.filling:
            return
        self.filling = True
        progress = self.workers.progress_reporter(self.status.show_progress)
        Op(lambda: self.session.fill(min_ready=FILL_BELOW, on_progress=progress)).success(
            self._filled
        ).failure(self._fill_failed).run_on(self.workers.network, self.workers)

    def _filled(self, _available: int) -> None:
        self.filling = False
        self.status.show_progress(0, 0)
        if self.presenter.state == ReviewState.LOADING:
            self.presenter.show_current()
        self.presenter.prepare_ahead()
        self.refresh_status()

    def _fill_failed(self, error: BaseException) -> None:
        self.filling = False
        self.status.show_progress(0, 0)
        if isinstance(error, AuthExpired):
            self.presenter.reveal.end("login")
            self.relogin.ask(self.fill)
            return
        self.status.say(explain(error))
        self._retry_at = time.monotonic() + FILL_RETRY_S  # the status clock retries
        if self.presenter.state == ReviewState.LOADING:
            self.presenter.show_current()

    def _relogged(self) -> None:
        # Logging in again as the same user keeps the sync loop; another one gets a new loop.
        if self.sync.loop is not None and self.workstation.sync_loop is not self.sync.loop:
            self.sync.attach(self.workstation.start_sync())
        self.sync.poke()

    def refresh_status(self) -> None:
        """The status bar from the session, read on the store worker; leases more when
        few items are left. One read at a time: a request during a read is served by one
        more read after it (that read may predate what the request is about, e.g. the
        sync round whose report asks for it)."""
        if self._status_reading:
            self._status_again = True
            return
        self._status_reading, self._status_again = True, False
        Op(self.session.status).success(self._show_status).failure(
            self._status_failed
        ).run_on(self.workers.store, self.workers)

    def _show_status(self, status: Any) -> None:
        self._status_read()
        self.status.show_status(status)
        if status.items_left < FILL_BELOW and time.monotonic() >= self._retry_at:
            self.fill()

    def _status_failed(self, _error: BaseException) -> None:
        self._status_read()

    def _status_read(self) -> None:
        self._status_reading = False
        if self._status_again:
            self.refresh_status()

    def refresh_history(self) -> None:
        Op(lambda: self.session.history(10)).success(self.history.show_entries).run_on(
            self.workers.store, self.workers
        )

    def sync_reported(self, report: Any) -> None:
        self.refresh_status()
        self.refresh_history()
        if getattr(report, "rejected", None):
            self.announce_rejections()
        if getattr(report, "auth_expired", False):
            self.presenter.reveal.end("login")
            self.relogin.ask(lambda: None)

    def announce_rejections(self) -> None:
        """Tell the reviewer about decisions the server rejected (once each)."""
        Op(self.session.rejected).success(self._announce).run_on(
            self.workers.store, self.workers
        )

    def _announce(self, rejected: list[Any]) -> None:
        for entry in rejected:
            decision_id = str(entry.decision.decision_id)
            if decision_id not in self._seen_rejections:
                self._seen_rejections.add(decision_id)
                reason = entry.reason or "no reason given"
                self.status.say(f"The server rejected a decision on {entry.decision.item_id}: "
                                f"{reason}", 15000)
