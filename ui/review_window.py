"""The review window: one item at a time, decided from the keyboard.

A state machine in the Anki reviewer's manner: decision keys act only in state
"question"; the window switches to "transition" while `ReviewSession.decide` commits the
decision (one small outbox commit, the only SQL on the GUI thread), then swaps in the
next item's already prepared pixmap. "preparing" and "loading" wait for the Preparer
and for `fill()`. All network and image work runs on the workers; sync reports arrive
from the SyncLoop thread through `SyncBridge`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from reviewer.errors import AuthExpired, ReviewerError
from ui.actions import action_for_key, build_actions
from ui.context_panel import ContextPanel
from ui.history_panel import HistoryPanel
from ui.item_view import ItemView
from ui.legend import HelpDialog, Legend
from ui.login_dialog import explain
from ui.note_dialog import ask_note
from ui.preparer import Preparer
from ui.relogin import Relogin
from ui.reveal import RevealController
from ui.shortcuts import Command, build_table
from ui.status import ReviewStatusBar
from ui.sync_bridge import SyncBridge
from ui.workers import Op, Workers

if TYPE_CHECKING:
    from reviewer.session import ReviewSession
    from reviewer.workstation import Workstation

PREFETCH = 3
FILL_BELOW = 10
FILL_RETRY_S = 5.0
UNBLIND_ACTIONS = ("escalate", "skip")


class ReviewWindow(QMainWindow):
    """Shows `session`'s current item; `item_shown(item_id)` after each swap."""

    item_shown = Signal(str)
    closed = Signal()

    def __init__(
        self,
        workstation: Workstation,
        session: ReviewSession,
        workers: Workers,
        sync_loop: Any = None,
    ) -> None:
        super().__init__()
        self.setObjectName("reviewWindow")
        self.setWindowTitle(f"Reviewing {session.queue} · Reviewer Workstation")
        self.workstation, self.session, self.workers = workstation, session, workers
        self.state = "loading"
        self.current_id: str | None = None
        self.broken = False
        self._note: str | None = None
        self._filling = False
        self._fill_retry_at = 0.0
        self._seen_rejections: set[str] = set()
        self.table = build_table(session.taxonomy)
        self._build_widgets()
        self.actions_by_id = build_actions(self, self.table, self._run_command)
        self.preparer = Preparer(session, workers)
        self.preparer.ready.connect(self._prepared)
        self.reveal = RevealController(session, self.view)
        self.reveal.prepared = lambda: self._prepared_current()
        self.reveal.refused.connect(self.status.say)
        self.sync = SyncBridge(sync_loop, self)
        self.sync.report.connect(self._sync_reported)
        self.relogin = Relogin(workstation, workers, self)
        self.relogin.logged_in.connect(self._relogged)
        self.relogin.gave_up.connect(
            lambda: self.status.say("Not logged in: your decisions are kept and will sync later.")
        )
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.refresh_status)
        self._clock.start(1000)
        self._resize_timer = QTimer(self, singleShot=True, interval=150)
        self._resize_timer.timeout.connect(self._view_resized)
        QApplication.instance().installEventFilter(self)
        self.view.show_message("Fetching items…", loading=True)
        QTimer.singleShot(0, self.start)

    def _build_widgets(self) -> None:
        self.view = ItemView()
        self.context = ContextPanel()
        self.history = HistoryPanel()
        self.legend = Legend(self.table)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.context)
        right.addWidget(self.history)
        right.setSizes([360, 300])
        right.setMaximumWidth(380)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 1)
        row.addWidget(right)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 0)
        outer.addWidget(body, 1)
        outer.addWidget(self.legend)
        self.setCentralWidget(central)
        self.status = ReviewStatusBar()
        self.setStatusBar(self.status)
        self.resize(1360, 860)

    # --- life cycle ------------------------------------------------------------------

    def start(self) -> None:
        self.announce_rejections()
        self.refresh_history()
        self.refresh_status()
        self.fill()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reveal.end("close")
        self._clock.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.session.close()
        super().closeEvent(event)
        self.closed.emit()

    # --- commands ----------------------------------------------------------------------

    def _run_command(self, command: Command) -> None:
        if command.decides is not None:
            self.decide(command.decides)
            return
        handlers: dict[str, Callable[[], None]] = {
            "note": self.add_note,
            "undo": self.undo,
            "reveal_hold": lambda: self.reveal.start("hold"),
            "reveal_toggle": self.reveal.toggle,
            "history": self.history.focus_list,
            "back_to_item": lambda: self.view.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "help": self.show_help,
            "quit": self.close,
        }
        handler = handlers.get(command.id)
        if handler is not None:
            handler()

    def decide(self, action: str) -> None:
        """A decision key: change the chosen history row, or decide the current item."""
        if self.history.has_choice_focus():
            self.change(self.history.chosen_decision_id(), action)
            return
        if self.state != "question":
            return  # a repeat, or a key while the last decision is being recorded
        if self.broken and action not in UNBLIND_ACTIONS:
            self.status.say("This item cannot be displayed: escalate (E) or skip (S).")
            return
        self.state = "transition"
        self.reveal.end("item change")
        try:
            self.session.decide(action, note=self._note)
        except ReviewerError as exc:
            self.status.say(exc.message)
            self.state = "question"
            return
        self._note = None
        self.context.show_note(None)
        self.show_current()
        # Paint the next item now, before any queued work (sync reports, worker results).
        self.view.repaint()
        QTimer.singleShot(40, self._after_decision)

    def _after_decision(self) -> None:
        self.sync.poke()
        self.refresh_history()
        self.refresh_status()
        self._prepare_ahead()

    def change(self, decision_id: str | None, action: str) -> None:
        if decision_id is None:
            return
        try:
            self.session.change(decision_id, action)
        except ReviewerError as exc:
            self.status.say(exc.message)
            return
        self.status.say(f"Decision changed to {action}.")
        self.sync.poke()
        self.refresh_history()

    def undo(self) -> None:
        if self.state == "transition":
            return
        self.reveal.end("item change")
        try:
            undone = self.session.undo()
        except ReviewerError as exc:
            self.status.say(exc.message)
            return
        if undone is None:
            self.status.say("Nothing to undo.")
            return
        self.status.say("Decision undone: the item is back.")
        self.show_current()
        self.refresh_history()

    def add_note(self) -> None:
        self.reveal.end("note")
        note = ask_note(self, self._note)
        if note is not None:
            self._note = note or None
            self.context.show_note(self._note)

    def show_help(self) -> None:
        self.reveal.end("help")
        HelpDialog(self.table, self).exec()

    # --- the current item ------------------------------------------------------------

    def show_current(self) -> None:
        """Swap in the session's current item (prepared already, in the fast path)."""
        self.reveal.end("item change")
        cached = self.session.current()
        if cached is None:
            self.current_id, self.broken, self.state = None, False, "loading"
            self.context.show_item(None)
            text = "Fetching more items…" if self._filling else "No items to review right now."
            self.view.show_message(text, loading=self._filling)
            return
        item = cached.item
        if item.id != self.current_id:
            self.current_id = item.id
            self.context.show_item(item)
        self.broken = False
        if cached.state == "broken":
            self._show_broken(cached.error or "The item's media cannot be displayed.")
        elif item.kind == "text":
            self.view.show_text(item.text or "")
            self._enter_question()
        elif item.kind == "image":
            self._show_image(item)
        else:
            self._show_broken("Video items cannot be played in this workstation.", record=False)

    def _show_image(self, item: Any) -> None:
        prepared = self.preparer.get(item.id, self.view.target_size())
        if prepared is None:
            self.state = "preparing"
            self.view.show_message("Preparing the protected view…", loading=True)
            self.preparer.want(self._upcoming_with_current(), self.view.target_size())
            return
        if prepared.error:
            self._show_broken(prepared.error)
            return
        self.view.show_image(prepared.protected_pix())
        self._enter_question()

    def _show_broken(self, reason: str, *, record: bool = True) -> None:
        self.broken = True
        if record and self.current_id is not None:
            try:
                self.session.mark_broken(self.current_id, reason)
            except ReviewerError as exc:
                self.status.say(exc.message)
        self.view.show_broken(reason)
        self._enter_question()

    def _enter_question(self) -> None:
        self.state = "question"
        self.session.mark_shown()
        self.item_shown.emit(self.current_id or "")

    def _prepared(self, item_id: str) -> None:
        if item_id == self.current_id and self.state == "preparing":
            self.show_current()

    def _prepared_current(self) -> Any:
        if self.current_id is None:
            return None
        return self.preparer.get(self.current_id, self.view.target_size())

    def _upcoming_with_current(self) -> list[Any]:
        current = self.session.current()
        items = [current.item] if current is not None else []
        items += [c.item for c in self.session.upcoming(PREFETCH) if c.state != "broken"]
        return items

    def _prepare_ahead(self) -> None:
        self.preparer.want(self._upcoming_with_current(), self.view.target_size())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._resize_timer.start()

    def _view_resized(self) -> None:
        self._prepare_ahead()
        if self.state == "question" and not self.broken and self.view.kind == "image":
            self.show_current()

    # --- background work -------------------------------------------------------------

    def fill(self) -> None:
        """Lease and download more items on the network worker."""
        if self._filling:
            return
        self._filling = True
        progress = self.workers.progress_reporter(self.status.show_progress)
        Op(lambda: self.session.fill(min_ready=FILL_BELOW, on_progress=progress)).success(
            self._filled
        ).failure(self._fill_failed).run_on(self.workers.network, self.workers)

    def _filled(self, _available: int) -> None:
        self._filling = False
        self.status.show_progress(0, 0)
        if self.state == "loading":
            self.show_current()
        self._prepare_ahead()
        self.refresh_status()

    def _fill_failed(self, error: BaseException) -> None:
        self._filling = False
        self.status.show_progress(0, 0)
        if isinstance(error, AuthExpired):
            self.reveal.end("login")
            self.relogin.ask(self.fill)
            return
        self.status.say(explain(error))
        self._fill_retry_at = time.monotonic() + FILL_RETRY_S  # the status clock retries
        if self.state == "loading":
            self.show_current()

    def _relogged(self) -> None:
        # Logging in again as the same user keeps the sync loop; another one gets a new loop.
        if self.sync.loop is not None and self.workstation.sync_loop is not self.sync.loop:
            self.sync.attach(self.workstation.start_sync())
        self.sync.poke()

    # --- status, history, sync -------------------------------------------------------

    def refresh_status(self) -> Any:
        try:
            status = self.session.status()
        except ReviewerError:
            return None
        self.status.show_status(status)
        if status.items_left < FILL_BELOW and time.monotonic() >= self._fill_retry_at:
            self.fill()
        return status

    def refresh_history(self) -> None:
        self.history.show_entries(self.session.history(10))

    def _sync_reported(self, report: Any) -> None:
        self.refresh_status()
        self.refresh_history()
        if getattr(report, "rejected", None):
            self.announce_rejections()
        if getattr(report, "auth_expired", False):
            self.reveal.end("login")
            self.relogin.ask(lambda: None)

    def announce_rejections(self) -> None:
        """Tell the reviewer about decisions the server rejected (once each)."""
        for entry in self.session.rejected():
            decision_id = str(entry.decision.decision_id)
            if decision_id not in self._seen_rejections:
                self._seen_rejections.add(decision_id)
                reason = entry.reason or "no reason given"
                self.status.say(f"The server rejected a decision on {entry.decision.item_id}: "
                                f"{reason}", 15000)

    # --- keys --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Space released (not an auto-repeat) ends a held reveal wherever focus is."""
        if (
            event.type() == QEvent.Type.KeyRelease
            and self.reveal.mode == "hold"
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and not event.isAutoRepeat()
        ):
            self.reveal.end("release")
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys that reached the window without firing a shortcut (e.g. window inactive).

        Auto-repeats are swallowed: a held key decides one item, never several."""
        if event.isAutoRepeat():
            event.accept()
            return
        action = action_for_key(self.actions_by_id, QKeySequence(event.keyCombination()))
        if action is not None:
            event.accept()
            action.trigger()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.reveal.end("focus lost")
        super().changeEvent(event)
