"""The review window: one item at a time, decided from the keyboard.

This module wires the parts together and routes commands and keys; each part has one
job: `layout` places the widgets, `presenter` shows the current item and owns the review
state, `decision_controller` is the decision/label/undo logic, `feed` leases, refreshes
and listens to sync, `pauses` covers the review page for breaks and today's cap. The
protected view (`ui.protected`: item view, preparer, reveal) is the only way content
reaches the screen. All network and image work runs on the workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

from ui.actions import action_for_key, build_actions, show_chosen_labels
from ui.key_settings import (
    first_run_done,
    load_overrides,
    mark_first_run_done,
)
from ui.legend import HelpDialog
from ui.physical_keys import PhysicalKeys
from ui.protected.preparer import Preparer
from ui.protected.reveal import RevealController
from ui.relogin import Relogin
from ui.review.decision_controller import DecisionController
from ui.review.feed import ItemFeed
from ui.review.first_run import FirstRunOverlay
from ui.review.layout import ReviewLayout, build_review_layout
from ui.review.pauses import PauseController
from ui.review.personal_settings import change_preferences, change_shortcuts
from ui.review.policy_refresh import PolicyRefresh
from ui.review.presenter import END_OF_QUEUE, ItemPresenter, ReviewState
from ui.shortcuts import Command, build_table
from ui.sync_bridge import SyncBridge
from ui.workers import Op, Workers
from wellness.durations import describe_duration

if TYPE_CHECKING:
    from reviewer.session import ReviewSession
    from reviewer.workstation import Workstation

PAUSE_COMMANDS = ("help", "quit")  # all that works while the pause screen is up


class ReviewWindow(QMainWindow):
    """Shows `session`'s current item; `item_shown(item_id)` after each swap."""

    item_shown = Signal(str)
    closed = Signal()
    switch_queue_requested = Signal()

    def __init__(self, workstation: Workstation, session: ReviewSession, workers: Workers,
                 sync_loop: Any = None) -> None:
        super().__init__()
        self.setObjectName("reviewWindow")
        self.setWindowTitle(f"Reviewing {session.queue} — Review · Reviewer Workstation")
        self.workstation, self.session, self.workers = workstation, session, workers
        self.first_run: FirstRunOverlay | None = None
        self.table = build_table(session.taxonomy,
                                 overrides=load_overrides(workstation.username))
        self.layout_parts = parts = build_review_layout(self, self.table)
        self.view, self.context, self.history = parts.view, parts.context, parts.history
        self.legend, self.status = parts.legend, parts.status
        self.status.show_secrets_safety(workstation.secure_secrets, workstation.secrets_notice)
        self.actions_by_id = build_actions(self, self.table, self.run_command)
        self._wire_parts(parts, sync_loop)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._resize_timer = QTimer(self, singleShot=True, interval=150)
        self._resize_timer.timeout.connect(self.presenter.view_resized)
        QApplication.instance().installEventFilter(self)
        self.view.show_message("Fetching items…", loading=True)
        QTimer.singleShot(0, self.start)

    def _wire_parts(self, parts: ReviewLayout, sync_loop: Any) -> None:
        session, say = self.session, self.status.say
        self.preparer = Preparer(session, self.workers)
        self.physical_keys = PhysicalKeys(self)
        self.reveal = RevealController(session, self.view, self.physical_keys)
        self.reveal.refused.connect(say)
        self.reveal.changed.connect(lambda _on: self.show_budget())
        self.pauses = PauseController(session, parts.pages, parts.review_page, parts.pause,
                                      self.reveal)
        self.sync = SyncBridge(sync_loop, self)
        self.policy = PolicyRefresh(self.workstation, session, self.workers, self)
        self.sync.report.connect(self.policy.sync_reported)
        self.policy.changed.connect(self._policy_changed)
        self.relogin = Relogin(self.workstation, self.workers, self)
        self.presenter = ItemPresenter(session, self.view, self.context, self.preparer,
                                       self.reveal, self.pauses, say, lambda: self.feed.filling)
        self.feed = ItemFeed(self.workstation, session, self.workers, self.presenter,
                             self.status, self.history, self.sync, self.relogin)
        self.keys = DecisionController(session, self.presenter, self.reveal, self.history, say,
                                       self, self.physical_keys)
        self.reveal.prepared = self.presenter.prepared_current
        self.preparer.ready.connect(self.presenter.prepared)
        self.presenter.item_shown.connect(self.item_shown)
        self.presenter.item_shown.connect(
            lambda _id: self.legend.offer_judgements(not self.presenter.broken))
        # A message about the item before (cannot be displayed, refused reveal) is not
        # about this one: it goes when the item changes.
        self.presenter.item_changed.connect(lambda _id: self.status.clearMessage())
        self.presenter.queue_empty.connect(self._offer_other_queues)
        self.pauses.resumed.connect(self._resumed)
        self.keys.labels_changed.connect(self.show_labels)
        self.keys.note_changed.connect(lambda note: self.context.show_note(note or None))
        self.keys.decided.connect(self._after_decision)
        self.keys.history_changed.connect(self._history_changed)

    # --- what tests and the app read -----------------------------------------------------

    @property
    def state(self) -> str:
        return self.presenter.state

    @property
    def current_id(self) -> str | None:
        return self.presenter.current_id

    @property
    def broken(self) -> bool:
        return self.presenter.broken

    @property
    def filling(self) -> bool:
        """True while more items are being leased and downloaded."""
        return self.feed.filling

    # --- life cycle ------------------------------------------------------------------

    def start(self) -> None:
        self.feed.announce_rejections()
        self.feed.refresh_history()
        self.refresh_status()
        self.feed.fill()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reveal.end("close")
        self.physical_keys.stop()
        self._clock.stop()
        self.policy.stop()
        self.pauses.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.session.close()
        self.preparer.close()
        super().closeEvent(event)
        self.closed.emit()

    def _policy_changed(self) -> None:
        """A coordinator changed the policy: protect with it from now on."""
        self.preparer.forget()
        self.presenter.show_current()
        self.status.say("Your wellness policy was updated.")

    def _tick(self) -> None:
        self.refresh_status()
        self.presenter.check_break()
        self.show_budget()

    def show_budget(self) -> None:
        """The budget beside the item (in-memory tallies: fine on the GUI thread)."""
        left = self.reveal.seconds_left()
        countdown = f"Revealed: protected again in {describe_duration(left)}\n" if left else ""
        self.context.show_budget(countdown + "Left: " + self.session.budget().describe())

    def refresh_status(self) -> None:
        self.feed.refresh_status()

    def _after_decision(self) -> None:
        self.sync.poke()
        self.feed.refresh_history()
        self.refresh_status()
        self.presenter.prepare_ahead()

    def _history_changed(self) -> None:
        self.sync.poke()
        self.feed.refresh_history()

    def _resumed(self) -> None:
        self.presenter.show_current()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _offer_other_queues(self) -> None:
        """The end of the queue: say which other queues have work (asked on the network)."""
        Op(self.workstation.queues).success(self._show_other_queues).run_on(
            self.workers.network, self.workers)

    def _show_other_queues(self, queues: list[Any]) -> None:
        if self.session.current() is not None or self.presenter.state != ReviewState.LOADING:
            return  # items arrived meanwhile
        text = other_queues_text(self.session.queue, queues)
        self.view.show_message(f"{END_OF_QUEUE}\n\n{text}" if text else END_OF_QUEUE)

    def show_labels(self, chosen: frozenset[str]) -> None:
        self.context.show_chosen_labels(chosen)
        self.legend.show_chosen_labels(chosen)
        show_chosen_labels(self.actions_by_id, self.table, chosen)

    # --- commands ----------------------------------------------------------------------

    def show_first_run(self) -> None:
        """The list of keys, once per person (see `ui.review.first_run`)."""
        username = self.workstation.username
        if first_run_done(username):
            return
        self.first_run = FirstRunOverlay(self.table, self.layout_parts.pages)
        self.first_run.dismissed.connect(lambda: self._first_run_dismissed(username or ""))
        self.first_run.show_over()

    def _first_run_dismissed(self, username: str) -> None:
        mark_first_run_done(username)
        self.first_run = None
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def run_command(self, command: Command) -> None:
        if self.first_run is not None and command.id != "quit":
            self.first_run.dismiss()  # a key that closes the welcome does nothing else
            return
        if self.pauses.showing and command.id not in PAUSE_COMMANDS and command.id != "undo":
            show_chosen_labels(self.actions_by_id, self.table, self.keys.labels)
            return  # a break covers the item: decision, label and reveal keys do nothing
        if command.decides is not None:
            self.keys.decide(command.decides)
            return
        if command.toggles is not None:
            self.keys.toggle_label(command.toggles)
            show_chosen_labels(self.actions_by_id, self.table, self.keys.labels)
            return
        handlers: dict[str, Callable[[], None]] = {
            "note": self.keys.add_note,
            "undo": self.keys.undo,
            "reveal_hold": self.reveal.hold,
            "reveal_region": self.reveal.hold_region,
            "preferences": lambda: change_preferences(self),
            "reveal_toggle": self.reveal.toggle,
            "history": self.history.focus_list,
            "back_to_item": lambda: self.view.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "help": self.show_help,
            "shortcut_settings": lambda: change_shortcuts(self),
            "switch_queue": self.switch_queue_requested.emit,
            "retry_now": self.feed.retry_now,
            "quit": self.close,
        }
        handler = handlers.get(command.id)
        if handler is not None:
            handler()

    def show_help(self) -> None:
        self.reveal.end("help")
        HelpDialog(self.table, self).exec()

    # --- keys and window events ------------------------------------------------------

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._resize_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A synthetic Space release (not flagged auto-repeat) ends a held reveal wherever
        focus is; a keyboard's real release is told from its repeats by PhysicalKeys."""
        if (
            event.type() == QEvent.Type.KeyRelease
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and not event.isAutoRepeat()
        ):
            self.reveal.hold_key_released()
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


def other_queues_text(current: str, queues: list[Any]) -> str:
    """"Queues with work: Spam (12), Hate speech (3)", busiest first; "" when none."""
    busy = sorted((q for q in queues if q.name != current and q.pending > 0),
                  key=lambda q: -q.pending)
    if not busy:
        return "No other queue has work right now."
    return "Queues with work: " + ", ".join(f"{q.title} ({q.pending})" for q in busy[:6])
