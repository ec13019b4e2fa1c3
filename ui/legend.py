"""Shortcut legend under the item and the F1 help dialog, both from the CommandTable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.shortcuts import CommandTable

COMMAND_ID_ROLE = Qt.ItemDataRole.UserRole


def key_text(key: str | None) -> str:
    """The key as the platform writes it ("Ctrl+Z", "Space"), or "—" without a key."""
    if not key:
        return "—"
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class Legend(QWidget):
    """One chip per command, in table order: decisions on the first row, the rest below.

    `command_ids` lists what is shown, for checks against the table."""

    def __init__(self, table: CommandTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(2)
        self.command_ids: list[str] = []
        columns = [0, 0]
        for command in table:
            row = 0 if command.decides is not None else 1
            chip = QLabel(f"<b>{key_text(command.key)}</b>&nbsp;{command.title}")
            chip.setObjectName("legendChip")
            chip.setToolTip(f"{command.menu} ▸ {command.title}")
            chip.setProperty("commandId", command.id)
            layout.addWidget(chip, row, columns[row])
            columns[row] += 1
            self.command_ids.append(command.id)
        layout.setColumnStretch(max(columns), 1)


class HelpDialog(QDialog):
    """F1: every command with its key and menu, in a table."""

    def __init__(self, table: CommandTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Items are protected until you reveal them. Hold Space to look, release to "
            "re-protect. A held key decides one item only."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        commands = list(table)
        self.table = QTableWidget(len(commands), 3)
        self.table.setHorizontalHeaderLabels(["Key", "Command", "Menu"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, command in enumerate(commands):
            key_item = QTableWidgetItem(key_text(command.key))
            key_item.setData(COMMAND_ID_ROLE, command.id)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(command.title))
            self.table.setItem(row, 2, QTableWidgetItem(command.menu))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def command_ids(self) -> list[str]:
        return [self.table.item(r, 0).data(COMMAND_ID_ROLE) for r in range(self.table.rowCount())]
