"""The decision controller: what the decision, label, note and undo keys do.

One decision per physical key press, whatever the platform sends: a decision key from a
keyboard acts once that key is really released (`ui.physical_keys` tells a release from
X11's auto-repeat pairs, which Qt flags only in part), on the item it was pressed on, and
only if it was pressed after that item was shown. A decision begins only when the
presenter allows it (state QUESTION -> TRANSITION, see `ui.review.presenter.ReviewState`)
while `ReviewSession.decide` commits it (one small outbox commit, the only SQL on the GUI
thread). Label keys toggle a label of the current item; the next decision
records the chosen labels, and they are forgotten when the item changes. A label toggle
is never a decision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from reviewer.builtin_actions import UNBLIND_ACTIONS, carries_labels
from reviewer.errors import ReviewerError
from reviewer.pacing import BreakDue
from ui.review.note_dialog import ask_note
from ui.review.presenter import ReviewState

if TYPE_CHECKING:
    from reviewer.session import ReviewSession
    from ui.physical_keys import PhysicalKeys
    from ui.protected.reveal import RevealController
    from ui.review.history_panel import HistoryPanel
    from ui.review.presenter import ItemPresenter

AFTER_DECISION_MS = 40


class DecisionController(QObject):
    """`labels_changed(frozenset)` and `note_changed(str)` for the panels;
    `decided()` after each recorded decision, `history_changed()` after undo/change."""

    labels_changed = Signal(frozenset)
    note_changed = Signal(str)
    decided = Signal()
    history_changed = Signal()

    def __init__(self, session: ReviewSession, presenter: ItemPresenter,
                 reveal: RevealController, history: HistoryPanel,
                 say: Callable[[str], None], parent_widget: QWidget,
                 keys: PhysicalKeys) -> None:
        super().__init__()
        self.session, self.presenter, self.reveal = session, presenter, reveal
        self.history, self._say, self._parent = history, say, parent_widget
        self.note: str | None = None
        self.labels: frozenset[str] = frozenset()
        self.keys = keys
        self._armed = True
        self._waiting: dict[int, tuple[str, str | None]] = {}
        """Key -> (action, item it was pressed on): decisions waiting for their release."""
        presenter.item_changed.connect(lambda _item_id: self._set_labels(frozenset()))
        presenter.item_shown.connect(self._rearm)
        keys.released.connect(self._key_released)
        keys.keyboard_lost.connect(self._waiting.clear)

    # --- labels and notes ------------------------------------------------------------

    def toggle_label(self, label_id: str) -> None:
        """Choose or unchoose a label of the item on screen (nothing is recorded); a held
        key toggles once."""
        if self.presenter.state != ReviewState.QUESTION or self._repeat():
            return
        self._set_labels(self.labels ^ {label_id})

    def _set_labels(self, labels: frozenset[str]) -> None:
        if labels != self.labels:
            self.labels = labels
            self.labels_changed.emit(labels)

    def _set_note(self, note: str | None) -> None:
        self.note = note or None
        self.note_changed.emit(self.note or "")

    def add_note(self) -> None:
        if not self.presenter.working:
            return
        self.reveal.end("note")
        note = ask_note(self._parent, self.note)
        if note is not None:
            self._set_note(note)

    # --- decisions -------------------------------------------------------------------

    def decide(self, action: str) -> None:
        """A decision command. From a keyboard's key it waits for that key's real release;
        its auto-repeats, and a press before this item was shown, do nothing. From a menu
        (or a synthetic key event, which carries its own auto-repeat flag) it acts now."""
        press = self.keys.current
        if press is None:
            self._decide_now(action)
        elif not press.repeat and self._armed:
            self._waiting[press.key] = (action, self.presenter.current_id)

    def _key_released(self, key: int) -> None:
        action, item_id = self._waiting.pop(key, (None, None))
        if action is not None and item_id == self.presenter.current_id:
            self._decide_now(action)

    def _rearm(self, _item_id: str) -> None:
        self._armed = True

    def _decide_now(self, action: str) -> None:
        """Change the chosen history row, or decide the current item."""
        if self.history.has_choice_focus() and not self.presenter.pauses.showing:
            self.change(self.history.chosen_decision_id(), action)
            return
        presenter = self.presenter
        if presenter.state != ReviewState.QUESTION:
            return  # a repeat, a key while recording, during a break or past the cap
        if presenter.broken and action not in UNBLIND_ACTIONS:
            self._say("This item cannot be displayed: escalate (E) or skip (S).")
            return
        presenter.begin_decision()
        self._armed = False  # until the next item is shown
        self._waiting.clear()
        self.reveal.end("item change")
        labels = sorted(self.labels) if carries_labels(action) else ()
        try:
            self.session.decide(action, labels=labels, note=self.note)
        except BreakDue:
            presenter.show_current()  # the break screen, before anything else
            return
        except ReviewerError as exc:
            self._say(exc.message)
            presenter.decision_refused()
            return
        self._set_note(None)
        self._set_labels(frozenset())  # they belonged to the item just decided
        presenter.show_current()
        # Paint the next item now, before any queued work (sync reports, worker results).
        presenter.view.repaint()
        QTimer.singleShot(AFTER_DECISION_MS, self.decided.emit)

    def change(self, decision_id: str | None, action: str) -> None:
        """Replace an earlier decision's action (chosen in the history panel)."""
        if decision_id is None:
            return
        try:
            decision = self.session.change(decision_id, action)
        except ReviewerError as exc:
            self._say(exc.message)
            return
        # The new decision is the one that counts: a further key changes it, not the old.
        self.history.choose(str(decision.decision_id))
        self._say(f"Decision changed to {action}.")
        self.history_changed.emit()

    def _repeat(self) -> bool:
        """True while handling a keyboard's auto-repeat of a key already down."""
        press = self.keys.current
        return press is not None and press.repeat

    def undo(self) -> None:
        """Undo the last decision; a held Ctrl+Z undoes one."""
        if self.presenter.state in (ReviewState.TRANSITION, ReviewState.BREAK) or (
                self._repeat()):
            return
        self.reveal.end("item change")
        try:
            undone = self.session.undo()
        except ReviewerError as exc:
            self._say(exc.message)
            return
        if undone is None:
            self._say("Nothing to undo.")
            return
        self._say("Decision undone: the item is back.")
        self.presenter.show_current()
        self.history_changed.emit()
