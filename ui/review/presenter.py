"""Puts the session's current item on screen, and knows which state the review is in.

States (`ReviewState`, owned here and changed only here), in the Anki reviewer's
manner: LOADING (waiting for `fill()`), PREPARING (waiting for the Preparer), QUESTION (an
item is shown and takes decision keys), TRANSITION (a decision is being recorded), BREAK
and CAPPED (the pause screen covers the review page). The decision controller asks for
TRANSITION with `begin_decision()` and never sets a state itself. Before any item is
shown the session's break schedule and daily cap are asked first, so neither can be
stepped around by a fast key. No decoding here: images arrive prepared; the GUI thread
only swaps pixmaps.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from reviewer.errors import ReviewerError

if TYPE_CHECKING:
    from reviewer.session import ReviewSession
    from ui.protected.item_view import ItemView
    from ui.protected.preparer import PreparedView, Preparer
    from ui.protected.reveal import RevealController
    from ui.review.context_panel import ContextPanel
    from ui.review.pauses import PauseController

PREFETCH = 3
END_OF_QUEUE = "No items to review right now.\n\nCtrl+O chooses another queue."


class ReviewState(StrEnum):
    LOADING = "loading"
    PREPARING = "preparing"
    QUESTION = "question"
    TRANSITION = "transition"
    BREAK = "break"
    CAPPED = "capped"


WORKING_STATES = (ReviewState.QUESTION, ReviewState.PREPARING, ReviewState.LOADING)


class ItemPresenter(QObject):
    """`item_shown(item_id)` after each swap; `item_changed(item_id or "")` when the
    current item is another one (chosen labels belong to one item)."""

    item_shown = Signal(str)
    item_changed = Signal(str)
    queue_empty = Signal()

    def __init__(self, session: ReviewSession, view: ItemView, context: ContextPanel,
                 preparer: Preparer, reveal: RevealController, pauses: PauseController,
                 say: Callable[[str], None], is_filling: Callable[[], bool]) -> None:
        super().__init__()
        self.session, self.view, self.context = session, view, context
        self.preparer, self.reveal, self.pauses = preparer, reveal, pauses
        self._say, self._is_filling = say, is_filling
        self._state = ReviewState.LOADING
        self.current_id: str | None = None
        self.displayed: PreparedView | None = None
        self.broken = False

    @property
    def state(self) -> ReviewState:
        return self._state

    @property
    def working(self) -> bool:
        """An item (or the wait for one) is on screen, not a pause or a decision."""
        return self._state in WORKING_STATES

    def begin_decision(self) -> bool:
        """QUESTION -> TRANSITION for a decision key; False (and nothing changes) in any
        other state: a repeat, a key while recording, a break, the cap."""
        if self._state != ReviewState.QUESTION:
            return False
        self._state = ReviewState.TRANSITION
        return True

    def decision_refused(self) -> None:
        """The session refused the decision: the item takes decision keys again."""
        if self._state == ReviewState.TRANSITION:
            self._state = ReviewState.QUESTION

    def show_current(self) -> None:
        """Swap in the session's current item (prepared already, in the fast path),
        or the break or cap screen when the session says so."""
        self.reveal.end("item change")
        if self._pause_instead():
            return
        cached = self.session.current()
        if cached is None:
            self._set_current(None)
            self.broken, self._state = False, ReviewState.LOADING
            filling = self._is_filling()
            text = "Fetching more items…" if filling else END_OF_QUEUE
            self.view.show_message(text, loading=filling)
            if not filling:
                self.queue_empty.emit()
            return
        item = cached.item
        self._set_current(item)
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

    def _pause_instead(self) -> bool:
        """Show the break or cap screen instead of an item when one is due."""
        breaks = self.session.breaks
        if breaks.on_break or breaks.break_due():
            cached = self.session.current()  # the item waits under the break screen
            self._set_current(cached.item if cached is not None else None)
            self._blank(ReviewState.BREAK)
            if self.pauses.kind != "break":
                self.pauses.start_break()
            return True
        sentence = self.session.cap_reached()
        if sentence:
            self._set_current(None)  # no item is presented past the cap
            self._blank(ReviewState.CAPPED)
            self.pauses.show_cap(sentence)
            return True
        self.pauses.clear_cap()
        return False

    def _blank(self, state: ReviewState) -> None:
        """Drop every pixmap of the item: nothing of it can be painted or grabbed."""
        self._state = state
        self.view.show_message("")

    def check_break(self) -> None:
        """The status clock's tick: start a due break between or during items."""
        if self.working and self.session.breaks.break_due():
            self.show_current()

    def _set_current(self, item: Any | None) -> None:
        item_id = item.id if item is not None else None
        if item_id != self.current_id:
            self.current_id = item_id
            self.context.show_item(item)
            self.item_changed.emit(item_id or "")

    def _show_image(self, item: Any) -> None:
        prepared = self.preparer.get(item.id, self.view.target_size())
        if prepared is None:
            self._state = ReviewState.PREPARING
            self.view.show_message("Preparing the protected view…", loading=True)
            self.prepare_ahead()
            return
        if prepared.error:
            self._show_broken(prepared.error)
            return
        self.displayed = prepared
        self.view.show_image(prepared.protected_pix())
        self._enter_question()

    def _show_broken(self, reason: str, *, record: bool = True) -> None:
        self.broken = True
        if record and self.current_id is not None:
            try:
                self.session.mark_broken(self.current_id, reason)
            except ReviewerError as exc:
                self._say(exc.message)
        self.view.show_broken(reason)
        self._enter_question()

    def _enter_question(self) -> None:
        self._state = ReviewState.QUESTION
        self.session.mark_shown()
        self.item_shown.emit(self.current_id or "")

    def prepared(self, item_id: str) -> None:
        """The Preparer finished `item_id`: show it if the reviewer is waiting for it."""
        if item_id == self.current_id and self._state == ReviewState.PREPARING:
            self.show_current()

    def prepared_current(self) -> Any:
        """The prepared view on screen now. After a resize the old size stays on screen
        until the new one is ready, and a reveal must show the same picture."""
        shown = self.displayed
        return shown if shown is not None and shown.item_id == self.current_id else None

    def upcoming_with_current(self) -> list[Any]:
        current = self.session.current()
        items = [current.item] if current is not None else []
        items += [c.item for c in self.session.upcoming(PREFETCH) if c.state != "broken"]
        return items

    def prepare_ahead(self) -> None:
        self.preparer.want(self.upcoming_with_current(), self.view.target_size())

    def view_resized(self) -> None:
        self.prepare_ahead()
        if self._state == ReviewState.QUESTION and not self.broken and self.view.kind == "image":
            self.show_current()
