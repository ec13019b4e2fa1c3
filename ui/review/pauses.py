"""Breaks and today's item cap on screen: which page the review window shows.

The session decides *when* (its break schedule and daily cap, from the cached policy,
so they hold offline); this controller only shows the pause screen in place of the
review page, counts the break down from the session's clock and lets the reviewer
resume once the break is over, with a deliberate key on the Resume button. When the
policy's `break_activity` is on, the break game has the keys until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.review.pause_screen import PauseScreen

if TYPE_CHECKING:
    from reviewer.session import ReviewSession
    from ui.protected.reveal import RevealController

TICK_MS = 250


class PauseController(QObject):
    """`kind` is "break", "cap" or None; `resumed` once a break has been ended."""

    resumed = Signal()

    def __init__(self, session: ReviewSession, pages: QStackedWidget, review_page: QWidget,
                 screen: PauseScreen, reveal: RevealController) -> None:
        super().__init__()
        self._session, self._reveal = session, reveal
        self._pages, self._review_page, self.screen = pages, review_page, screen
        self.kind: str | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._count_down)
        screen.resume_requested.connect(self.resume)

    @property
    def showing(self) -> bool:
        return self.kind is not None

    def start_break(self) -> None:
        """Cover the review page and start (or go on with) the session's break."""
        self._reveal.end("break")
        self._session.breaks.begin_break()
        self.kind = "break"
        self.screen.show_break(self._session.breaks.break_seconds_left() or 0.0,
                               activity=self._session.policy.break_activity)
        self._cover()
        self._tick.start()

    def _count_down(self) -> None:
        left = self._session.breaks.break_seconds_left()
        self.screen.show_countdown(left or 0.0)

    def resume(self) -> None:
        """The Resume button: ends the break only once its countdown is over."""
        if self.kind != "break" or not self._session.breaks.end_break():
            return
        self._tick.stop()
        self._uncover()
        self.resumed.emit()

    def show_cap(self, sentence: str) -> None:
        self._reveal.end("cap")
        self.kind = "cap"
        self.screen.show_cap(sentence)
        self._cover()

    def clear_cap(self) -> None:
        if self.kind == "cap":
            self._uncover()

    def _cover(self) -> None:
        self._pages.setCurrentWidget(self.screen)
        self.screen.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _uncover(self) -> None:
        self.kind = None
        self._pages.setCurrentWidget(self._review_page)

    def stop(self) -> None:
        self._tick.stop()
