"""Keeps the review window fed and informed: leasing more items, status, history, sync.

`fill()` runs on the network worker when the session says it is due (leasing and
downloads back off on errors and on an empty queue: no request storms); an expired
login asks to log in again and then goes on. The status bar says in words what is
being waited for; F5 (`retry_now`) cuts every wait short. Sync reports arrive from
the SyncLoop thread through `SyncBridge` and refresh the status bar and the history;
decisions the server rejected are announced once each.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from reviewer.backoff import Backoff
from reviewer.errors import AuthExpired, ReviewerError
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

log = logging.getLogger(__name__)
FILL_BELOW = 10


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
        self._fill_backoff = Backoff(base=2.0, cap=60.0)
        self._sync_retry_at: float | None = None
        self._sync_reason = ""
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
        self._fill_backoff.reset()
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
        if not isinstance(error, ReviewerError):
            log.error("filling the queue failed", exc_info=error)
        self.status.say(explain(error))
        # the status clock retries, later each time
        self._retry_at = time.monotonic() + self._fill_backoff.next_delay()
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
        self.status.show_waiting(self.waiting())
        if time.monotonic() >= self._retry_at and self.session.leases.fill_due(
                self.session.ready_count(), FILL_BELOW):
            self.fill()

    def waiting(self) -> str:
        """[G] What is being waited for, in words: leasing and downloads first, then
        sync ("Sync: server unreachable, retrying in 20 s")."""
        text = self.session.leases.waiting()
        if text:
            return text
        now = time.monotonic()
        if now < self._retry_at:
            return f"Loading items failed, retrying in {round(self._retry_at - now)} s"
        if self._sync_retry_at is not None and now < self._sync_retry_at:
            return f"{self._sync_reason}, retrying in {round(self._sync_retry_at - now)} s"
        return ""

    def retry_now(self) -> None:
        """[G] F5: lease, download and sync now, whatever backoff was running."""
        self.session.leases.retry_now()
        self._retry_at = 0.0
        self._sync_retry_at = None
        if self.sync.loop is not None:
            self.sync.loop.retry_now()
        self.status.say("Retrying now…", 3000)
        self.fill()

    def _status_failed(self, _error: BaseException) -> None:
        self._status_read()

    def _status_read(self) -> None:
        self._status_reading = False
        if self._status_again:
            self.refresh_status()

    def refresh_history(self) -> None:
        Op(lambda: self.session.history_rows(10)).success(self.history.show_entries).run_on(
            self.workers.store, self.workers
        )

    def sync_reported(self, report: Any) -> None:
        retry_in = getattr(report, "retry_in_s", None)
        self._sync_retry_at = time.monotonic() + retry_in if retry_in else None
        self._sync_reason = ("Sync: server unreachable" if not getattr(report, "online", True)
                             else "Sync failed")
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
