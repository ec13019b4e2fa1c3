"""A small dialog for a note that travels with the next decision."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

MAX_NOTE_CHARS = 2000


class NoteDialog(QDialog):
    """Ctrl+Enter or OK keeps the note; Escape cancels."""

    def __init__(self, parent: QWidget | None, note: str | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note for the next decision")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("This note is sent with your next decision."))
        hint = QLabel("Ctrl+Enter keeps the note · Esc cancels")
        hint.setObjectName("hint")
        self.edit = QPlainTextEdit(note or "")
        self.edit.setPlaceholderText("What should QA know about this item?")
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setShortcut("Ctrl+Return")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.edit.setFocus()

    def note(self) -> str:
        return self.edit.toPlainText().strip()[:MAX_NOTE_CHARS]


def ask_note(parent: QWidget, note: str | None) -> str | None:
    """The note typed ("" clears it), or None when cancelled."""
    dialog = NoteDialog(parent, note)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    parent.activateWindow()  # keys go back to the review window, not to nowhere
    return dialog.note() if accepted else None
