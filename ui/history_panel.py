"""The last decisions of this reviewer, with their sync status, to review or change.

`H` focuses the list, arrows move, a decision key changes the chosen decision
(the window routes it to `ReviewSession.change`). Rejected decisions stand out.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

STATUS_COLOURS = {
    "pending": "#c9a227",
    "accepted": "#5fa36a",
    "duplicate": "#5fa36a",
    "late": "#d08a3a",
    "rejected": "#e0533d",
}
DECISION_ID_ROLE = Qt.ItemDataRole.UserRole


def _entry_text(entry: Any) -> str:
    decision = entry.decision
    when = decision.decided_at.astimezone().strftime("%H:%M:%S")
    line = f"{when}  {decision.item_id}  →  {decision.action}   [{entry.status}]"
    if entry.reason:
        line += f"\n    {entry.reason}"
    return line


class HistoryPanel(QWidget):
    """A list of `OutboxEntry` rows, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Recent decisions")
        heading.setObjectName("panelHeading")
        heading.setToolTip("H chooses a decision; a decision key then changes it.")
        layout.addWidget(heading)
        hint = QLabel("H to choose · a decision key changes it · Esc back")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setObjectName("historyList")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        layout.addWidget(self.list)

    def show_entries(self, entries: list[Any]) -> None:
        chosen = self.chosen_decision_id()
        self.list.blockSignals(True)
        self.list.clear()
        for entry in entries:
            row = QListWidgetItem(_entry_text(entry))
            row.setData(DECISION_ID_ROLE, str(entry.decision.decision_id))
            row.setForeground(QColor(STATUS_COLOURS.get(entry.status, "#e6e6e6")))
            self.list.addItem(row)
            if chosen == str(entry.decision.decision_id):
                self.list.setCurrentItem(row)
        self.list.blockSignals(False)

    def focus_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def has_choice_focus(self) -> bool:
        return self.list.hasFocus() and self.list.currentItem() is not None

    def chosen_decision_id(self) -> str | None:
        row = self.list.currentItem()
        return row.data(DECISION_ID_ROLE) if row is not None else None

    def statuses(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
