"""The full-panel screen shown instead of the review page: a break, or today's cap.

It replaces the item, the context and the history, so no item pixels (protected or
not) and no item text are on screen while it is up. It shows words and a countdown
(and, when the policy offers it, the break game: drawn shapes, no content); it never
decides anything itself.
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ui.review.break_game import BreakGame

BREAK_TITLE = "Time for a break"
BREAK_TEXT = ("Step away from the screen: stand up, look into the distance, have a drink "
              "of water. Your work is saved.")
BREAK_OVER_TEXT = "Your break is over. Press Enter when you are ready to go on."
CAP_TITLE = "That's all for today"
FONT_SCALE = {"pauseTitle": 2.0, "pauseMessage": 1.25, "pauseCountdown": 3.2}


def countdown_text(seconds: float) -> str:
    minutes, secs = divmod(max(0, int(round(seconds))), 60)
    return f"{minutes}:{secs:02d}"


class PauseScreen(QWidget):
    """A calm message with an optional countdown and a Resume button.

    `resume_requested` is emitted by the button (Enter or Space while it has the focus);
    the button is enabled only once the countdown is over. With the break activity on,
    the game sits under the countdown until then (a new one for each break; `game_random`
    seeds it, for tests)."""

    resume_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pauseScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # holds focus while Resume waits
        self._layout = layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.setSpacing(18)
        self.title = self._label("pauseTitle")
        self.message = self._label("pauseMessage")
        self.message.setWordWrap(True)
        self.message.setMaximumWidth(620)
        self.countdown = self._label("pauseCountdown")
        self.resume = QPushButton("Resume reviewing")
        self.resume.setObjectName("resumeButton")
        self.resume.setAutoDefault(True)
        self.resume.setDefault(True)
        self.resume.clicked.connect(self.resume_requested)
        for widget in (self.title, self.message, self.countdown, self.resume):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        self.game: BreakGame | None = None
        self.game_random: random.Random | None = None

    @staticmethod
    def _label(name: str) -> QLabel:
        label = QLabel("")
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scale = FONT_SCALE.get(name)
        if scale:  # readable from across the room, with or without the style sheet
            font = QFont(label.font())
            font.setPointSizeF(font.pointSizeF() * scale)
            label.setFont(font)
        return label

    def show_break(self, seconds_left: float, activity: bool = False) -> None:
        self.title.setText(BREAK_TITLE)
        self.countdown.setVisible(True)
        self.resume.setVisible(True)
        self._drop_game()
        if activity:
            self.game = BreakGame(self.game_random, self)
            self._layout.insertWidget(self._layout.indexOf(self.countdown) + 1, self.game,
                                      0, Qt.AlignmentFlag.AlignHCenter)
        self.show_countdown(seconds_left)

    def focus_target(self) -> QWidget:
        """Resume once the break is over; the game until then, if it is up."""
        if self.resume.isEnabled():
            return self.resume
        if self.game is not None and self.game.isEnabled():
            return self.game
        return self  # holds the keys away from the review page

    def _drop_game(self) -> None:
        if self.game is not None:
            self.game.hide()
            self.game.deleteLater()
            self.game = None

    def show_countdown(self, seconds_left: float) -> None:
        """Update the countdown; at zero the Resume button becomes usable and focused."""
        done = seconds_left <= 0
        self.countdown.setText(countdown_text(seconds_left))
        self.message.setText(BREAK_OVER_TEXT if done else BREAK_TEXT)
        was_enabled = self.resume.isEnabled()
        self.resume.setEnabled(done)
        if self.game is not None:
            self.game.setEnabled(not done)  # over: the score stays, the keys go to Resume
        if done and not was_enabled:
            self.resume.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_cap(self, sentence: str) -> None:
        self.title.setText(CAP_TITLE)
        self.message.setText(f"{sentence}\n\nCtrl+Z brings back your last decision.")
        self.countdown.setVisible(False)
        self.resume.setVisible(False)
        self._drop_game()
