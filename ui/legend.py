"""Shortcut legend under the item and the F1 help dialog, both from the CommandTable.

The legend also shows which labels are chosen for the current item (a check mark on
the label's chip), so the reviewer sees what the next decision key will record."""

from __future__ import annotations

from collections.abc import Collection

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

from reviewer.builtin_actions import UNBLIND_ACTIONS
from ui.shortcuts import Command, CommandTable

COMMAND_ID_ROLE = Qt.ItemDataRole.UserRole


CHECK = "✓"


def _row(command: Command) -> int:
    """Decisions first, then the queue's labels, then everything else."""
    if command.decides is not None:
        return 0
    return 1 if command.toggles is not None else 2


def chip_text(command: Command, chosen: bool = False) -> str:
    mark = f"{CHECK}&nbsp;" if chosen else ""
    return f"{mark}<b>{key_text(command.key)}</b>&nbsp;{command.title}"


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def key_text(key: str | None) -> str:
    """The key as the platform writes it ("Ctrl+Z", "Space"), or "—" without a key."""
    if not key:
        return "—"
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class Legend(QWidget):
    """One chip per command, in table order: decisions on the first row, labels on the
    second, the rest below. `command_ids` lists what is shown, for checks against the
    table; `chosen_labels` what `show_chosen_labels` last marked."""

    def __init__(self, table: CommandTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(2)
        self.command_ids: list[str] = []
        self.chosen_labels: frozenset[str] = frozenset()
        self._label_chips: dict[str, tuple[Command, QLabel]] = {}
        self._judging_chips: list[tuple[QLabel, bool]] = []
        self.judgements_offered = True
        columns = [0, 0, 0]
        for command in table:
            row = _row(command)
            chip = QLabel(chip_text(command))
            chip.setObjectName("legendChip")
            chip.setToolTip(f"{command.menu} ▸ {command.title}")
            chip.setProperty("commandId", command.id)
            layout.addWidget(chip, row, columns[row])
            columns[row] += 1
            self.command_ids.append(command.id)
            judges = command.toggles is not None or (
                command.decides is not None and command.decides not in UNBLIND_ACTIONS)
            self._judging_chips.append((chip, judges))
            if command.toggles is not None:
                self._label_chips[command.toggles] = (command, chip)
        layout.setColumnStretch(max(columns), 1)

    def offer_judgements(self, offered: bool) -> None:
        """On an item that cannot be displayed only escalate and skip apply: the queue's
        own decision and label keys are greyed out (their keys say so when pressed)."""
        self.judgements_offered = offered
        for chip, judges in self._judging_chips:
            chip.setEnabled(offered or not judges)

    def show_chosen_labels(self, chosen: Collection[str]) -> None:
        self.chosen_labels = frozenset(chosen)
        for label_id, (command, chip) in self._label_chips.items():
            picked = label_id in self.chosen_labels
            chip.setText(chip_text(command, picked))
            chip.setProperty("chosen", picked)
            restyle(chip)


class HelpDialog(QDialog):
    """F1: every command with its key and menu, in a table."""

    def __init__(self, table: CommandTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Items are protected until you reveal them. Hold Space to look, release to "
            "re-protect. A held key decides one item only. Label keys choose or unchoose "
            "a label for the current item; the next decision key records the decision "
            "with the chosen labels."
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
