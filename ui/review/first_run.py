"""The first-run overlay: the keys a new reviewer needs, once, over the review page.

Shown the first time a person opens the review window (remembered per user with
QSettings); the first key or click dismisses it and is not acted on, so nobody decides
an item while reading. Ctrl+Q still quits. The list comes from the shortcut table, so it
shows the person's own keys; F1 shows the full list at any time.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ui.legend import key_text
from ui.shortcuts import CommandTable

ESSENTIAL = ("reveal_hold", "reveal_toggle", "undo", "note", "history", "help")


class FirstRunOverlay(QFrame):
    """Covers `parent` until a key or a click; `dismissed` then."""

    dismissed = Signal()

    def __init__(self, table: CommandTable, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#firstRunOverlay { background: rgba(20, 22, 25, 235); }"
                           "QLabel { color: #e6e6e6; }")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Welcome: review from the keyboard")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        title.setFont(font)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        intro = QLabel("Every item is blurred and greyscale until you reveal it. A decision "
                       "key records the decision and shows the next item.")
        intro.setWordWrap(True)
        intro.setMaximumWidth(560)
        layout.addWidget(intro, 0, Qt.AlignmentFlag.AlignHCenter)
        grid = QGridLayout()
        self.rows: list[tuple[str, str]] = []
        commands = [*table.decisions(), *table.labels(),
                    *(c for c in table if c.id in ESSENTIAL)]
        for row, command in enumerate(c for c in commands if c.key):
            key, what = key_text(command.key), command.title
            grid.addWidget(QLabel(f"<b>{key}</b>"), row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(QLabel(what), row, 1)
            self.rows.append((key, what))
        layout.addLayout(grid)
        layout.addWidget(QLabel("Press any key to start · F1 shows every key"), 0,
                         Qt.AlignmentFlag.AlignHCenter)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def show_over(self) -> None:
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def dismiss(self) -> None:
        if self.isVisible():
            self.hide()
            self.dismissed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()
        self.dismiss()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.dismiss()
