"""Find decisions: filters and a list, keyboard first.

Enter in a filter searches, Tab reaches the list, Enter on a row replays it, `M` (or the
button) loads the next page through the server's cursor. The list shows reviewer,
item, action, labels, handle time and reveals; offline it shows what was fetched and says
so. No network here: the workspace runs the searches on a worker.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.protocol import QADecision
from reviewer.qa import DecisionQuery

COLUMNS = ("Decided", "Reviewer", "Queue", "Item", "Action", "Labels", "Handle time",
           "Reveals", "Status")
TRISTATE = {"any": None, "yes": True, "no": False}
PREFETCH = 3  # the selected row and the two after it


def _tristate(label: str) -> QComboBox:
    box = QComboBox()
    box.addItems(list(TRISTATE))
    box.setAccessibleName(label)
    return box


def _row_cells(decision: QADecision) -> list[str]:
    status = decision.status
    if decision.superseded_by is not None:
        status += ", superseded"
    handle = "" if decision.handle_ms is None else f"{decision.handle_ms / 1000:.1f} s"
    return [decision.decided_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            decision.reviewer, decision.queue, decision.item_id, decision.action,
            ", ".join(decision.labels), handle, str(decision.reveals), status]


class DecisionFinder(QWidget):
    """Filters on top, the decisions below. `search(query)`, `more()`, `opened(decision)`."""

    search = Signal(object)
    more = Signal()
    opened = Signal(object)
    selected_many = Signal(object)
    """The selected decision and the next few: worth preparing ahead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decisions: list[QADecision] = []
        self.reviewer, self.queue, self.action = QLineEdit(), QLineEdit(), QLineEdit()
        for box, hint in ((self.reviewer, "any reviewer"), (self.queue, "any queue"),
                          (self.action, "any action")):
            box.setPlaceholderText(hint)
            box.returnPressed.connect(self.submit)
        today = QDate.currentDate()
        self.since, self.until = QDateEdit(today.addDays(-7)), QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.escalated = _tristate("escalated")
        self.late = _tristate("late")
        self.superseded = _tristate("superseded")
        self.sample = QSpinBox()
        self.sample.setRange(0, 1000)
        self.sample.setSpecialValueText("all")
        self.sample.setToolTip("A random sample of N decisions per reviewer (0: all)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setValue(1)
        form = QFormLayout()
        for label, widget in (("&Reviewer", self.reviewer), ("&Queue", self.queue),
                              ("&Action", self.action), ("&From", self.since),
                              ("&To (inclusive)", self.until), ("&Escalated", self.escalated),
                              ("&Late", self.late), ("Su&perseded", self.superseded),
                              ("Sa&mple per reviewer", self.sample), ("Seed", self.seed)):
            form.addRow(label, widget)
        self.find_button = QPushButton("Find (Enter)")
        self.find_button.clicked.connect(self.submit)
        self.more_button = QPushButton("More (M)")
        self.more_button.setEnabled(False)
        self.more_button.clicked.connect(self.more.emit)
        # A shortcut, not a key handler: the list would take M for a keyboard search.
        # Typing an m in a filter still types it (a line edit claims printable keys).
        more_key = QAction("Load more", self)
        more_key.setShortcut(QKeySequence("M"))
        more_key.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        more_key.setAutoRepeat(False)
        more_key.triggered.connect(self._more_key)
        self.addAction(more_key)
        self.state = QLabel("")
        self.state.setObjectName("finderState")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("decisionList")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(lambda index: self._open(index.row()))
        self.table.itemSelectionChanged.connect(self._selection_moved)
        buttons = QHBoxLayout()
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.state, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def query(self) -> DecisionQuery:
        since = datetime.combine(self.since.date().toPython(), time.min, tzinfo=UTC)
        until = datetime.combine(self.until.date().addDays(1).toPython(), time.min,
                                 tzinfo=UTC)
        return DecisionQuery(
            reviewer=self.reviewer.text().strip() or None,
            queue=self.queue.text().strip() or None,
            action=self.action.text().strip() or None, since=since, until=until,
            escalated=TRISTATE[self.escalated.currentText()],
            late=TRISTATE[self.late.currentText()],
            superseded=TRISTATE[self.superseded.currentText()],
            sample_per_reviewer=self.sample.value() or None,
            seed=self.seed.value() if self.sample.value() else None)

    def submit(self) -> None:
        self.state.setText("Searching…")
        self.search.emit(self.query())

    def show_page(self, decisions: list[QADecision], *, more: bool, append: bool,
                  offline: bool = False) -> None:
        """Show a page (appended to the list for "more"); `more` says another page waits."""
        if not append:
            self.decisions = []
            self.table.setRowCount(0)
        for decision in decisions:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(_row_cells(decision)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.decisions += decisions
        self.more_button.setEnabled(more and not offline)
        count = len(self.decisions)
        if offline:
            self.state.setText(f"Offline: showing the {count} decisions fetched before.")
        else:
            self.state.setText(f"{count} decisions" + (" (more: M)" if more else ""))
        if not append and count:
            self.table.selectRow(0)

    def show_error(self, text: str) -> None:
        self.state.setText(text)

    def selected(self) -> QADecision | None:
        row = self.table.currentRow()
        return self.decisions[row] if 0 <= row < len(self.decisions) else None

    def _selection_moved(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.decisions):
            self.selected_many.emit(self.decisions[row:row + PREFETCH])

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.decisions):
            self.opened.emit(self.decisions[row])

    def _more_key(self) -> None:
        if self.more_button.isEnabled():
            self.more.emit()
