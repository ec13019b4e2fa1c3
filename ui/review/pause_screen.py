"""The full-panel screen shown instead of the review page: a break, or today's cap.

It replaces the item, the context and the history, so no item pixels (protected or
not) and no item text are on screen while it is up. It shows words and a countdown
only; it never decides anything itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

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
    the button is enabled only once the countdown is over."""

    resume_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pauseScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # holds focus while Resume waits
        layout = QVBoxLayout(self)
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

    def show_break(self, seconds_left: float) -> None:
        self.title.setText(BREAK_TITLE)
        self.countdown.setVisible(True)
        self.resume.setVisible(True)
        self.show_countdown(seconds_left)

    def show_countdown(self, seconds_left: float) -> None:
        """Update the countdown; at zero the Resume button becomes usable and focused."""
        done = seconds_left <= 0
        self.countdown.setText(countdown_text(seconds_left))
        self.message.setText(BREAK_OVER_TEXT if done else BREAK_TEXT)
        was_enabled = self.resume.isEnabled()
        self.resume.setEnabled(done)
        if done and not was_enabled:
            self.resume.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_cap(self, sentence: str) -> None:
        self.title.setText(CAP_TITLE)
        self.message.setText(f"{sentence}\n\nCtrl+Z brings back your last decision.")
        self.countdown.setVisible(False)
        self.resume.setVisible(False)
