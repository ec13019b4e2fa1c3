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
        self.list.currentRowChanged.connect(self._moved)
        layout.addWidget(self.list)
        # The decision to choose once a refresh lists it (a change's new decision).
        self._wanted: str | None = None

    def show_entries(self, entries: list[Any]) -> None:
        wanted, chosen = self._wanted, self.chosen_decision_id()
        rows: dict[str, QListWidgetItem] = {}
        self.list.blockSignals(True)
        self.list.clear()
        for entry in entries:
            row = QListWidgetItem(_entry_text(entry))
            decision_id = str(entry.decision.decision_id)
            row.setData(DECISION_ID_ROLE, decision_id)
            row.setForeground(QColor(STATUS_COLOURS.get(entry.status, "#e6e6e6")))
            self.list.addItem(row)
            rows[decision_id] = row
        if wanted is not None and wanted in rows:
            self.list.setCurrentItem(rows[wanted])
            self._wanted = None
        elif chosen is not None and chosen in rows:
            self.list.setCurrentItem(rows[chosen])
        self.list.blockSignals(False)

    def choose(self, decision_id: str) -> None:
        """Make `decision_id` the chosen row, now or when a refresh first lists it.

        After a change the chosen row must be the decision that now counts: the old
        one may be gone (withdrawn while unsent), or a second key would change it
        again and leave two decisions superseding it."""
        self._wanted = decision_id
        for i in range(self.list.count()):
            if self.list.item(i).data(DECISION_ID_ROLE) == decision_id:
                self.list.setCurrentRow(i)  # a move of ours: _moved clears _wanted
                return

    def _moved(self, _row: int) -> None:
        self._wanted = None  # the reviewer moved: their choice wins over a pending one

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
