"""The keyboard shortcuts dialog: every command with its key, each one changeable.

Keyboard first: arrows choose a command, Enter (or F2) asks for its new key and the next
key pressed becomes it (Esc cancels), Delete removes it, Ctrl+R resets every key to the
defaults, Ctrl+Enter saves. A key that another command holds is refused with that
command's name, so two commands never share a key. The dialog only edits a table; the
caller saves it and rebuilds menus, legend and help.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.legend import key_text
from ui.shortcuts import Command, CommandTable, normalize_key, with_overrides

COMMAND_ID_ROLE = Qt.ItemDataRole.UserRole
MODIFIER_KEYS = {Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt, Qt.Key.Key_Meta,
                 Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock}


class ShortcutSettings(QDialog):
    """Edits `overrides` on top of `defaults` (the table without anyone's own keys)."""

    def __init__(self, defaults: CommandTable, overrides: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSettings")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 520)
        self.defaults = defaults
        self.overrides = dict(overrides)
        self.capturing: str | None = None  # the command whose new key is awaited
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Enter changes the chosen command's key · Delete removes it "
                                "· Ctrl+R resets all · Ctrl+Enter saves"))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Command", "Menu", "Key"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.itemActivated.connect(lambda _item: self.change_key())
        self.table.installEventFilter(self)
        layout.addWidget(self.table)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        for text, slot in (("Change key…", self.change_key), ("Remove key", self.remove_key),
                           ("Reset to defaults", self.reset)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for key, slot in (("F2", self.change_key), ("Delete", self.remove_key),
                          ("Ctrl+R", self.reset), ("Ctrl+Return", self.accept)):
            QShortcut(QKeySequence(key), self, activated=slot)
        self._fill()
        self.table.setCurrentCell(0, 0)
        self.table.setFocus()

    @property
    def current(self) -> CommandTable:
        """The table as it would be with the keys chosen so far."""
        return with_overrides(self.defaults, self.overrides)

    def _fill(self) -> None:
        row = self.table.currentRow()
        commands = list(self.current)
        self.table.setRowCount(len(commands))
        for i, command in enumerate(commands):
            title = QTableWidgetItem(command.title)
            title.setData(COMMAND_ID_ROLE, command.id)
            self.table.setItem(i, 0, title)
            self.table.setItem(i, 1, QTableWidgetItem(command.menu))
            self.table.setItem(i, 2, QTableWidgetItem(key_text(command.key)))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if row >= 0:
            self.table.setCurrentCell(row, 0)

    def chosen(self) -> Command | None:
        row = self.table.currentRow()
        if row < 0:
            return None
        return self.current.by_id(self.table.item(row, 0).data(COMMAND_ID_ROLE))

    def change_key(self) -> None:
        """Wait for the chosen command's new key: the next key pressed (Esc cancels)."""
        command = self.chosen()
        if command is None:
            return
        self.capturing = command.id
        self.error.setText(f"Press the new key for “{command.title}” (Esc cancels).")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.capturing is None or event.type() not in (QEvent.Type.KeyPress,
                                                          QEvent.Type.ShortcutOverride):
            return False
        key_event = event if isinstance(event, QKeyEvent) else None
        if key_event is None or key_event.key() in MODIFIER_KEYS:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the key is for us, not for a shortcut
            return True
        command_id, self.capturing = self.capturing, None
        if key_event.key() == Qt.Key.Key_Escape:
            self.error.setText("")
            return True
        sequence = QKeySequence(key_event.keyCombination())
        self.set_key(command_id, sequence.toString(QKeySequence.SequenceFormat.PortableText))
        return True

    def set_key(self, command_id: str, key: str) -> bool:
        """Give `command_id` the key `key` ("" removes it); refused, with the name of the
        command holding it, when another command has that key."""
        key = normalize_key(key)
        holder = self.current.holder_of(key, besides=command_id)
        if holder is not None:
            self.error.setText(f"“{key_text(key)}” is already the key of “{holder.title}”. "
                               "Remove or change that one first.")
            return False
        default = self.defaults.by_id(command_id).key
        if key == normalize_key(default) and not self._default_taken(command_id, key):
            self.overrides.pop(command_id, None)
        else:
            self.overrides[command_id] = key
        self.error.setText("")
        self._fill()
        return True

    def _default_taken(self, command_id: str, key: str) -> bool:
        """True when the default key of `command_id` was given to another command."""
        return any(k == key for cid, k in self.overrides.items() if cid != command_id)

    def remove_key(self) -> None:
        command = self.chosen()
        if command is not None:
            self.set_key(command.id, "")

    def reset(self) -> None:
        self.overrides.clear()
        self.error.setText("All keys are back to their defaults.")
        self._fill()
