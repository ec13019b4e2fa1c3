"""Choose a queue. Queues and pending counts load on the network worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.errors import AuthExpired
from ui.errors import explain
from ui.workers import Op, Workers

if TYPE_CHECKING:
    from reviewer.workstation import Workstation

QUEUE_ROLE = Qt.ItemDataRole.UserRole


class QueuePicker(QDialog):
    """Arrows move, Enter chooses; `chosen` holds the queue name after accept."""

    loaded = Signal()
    auth_expired = Signal()

    def __init__(
        self, workstation: Workstation, workers: Workers, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("queuePicker")
        self.setWindowTitle("Choose a queue · Reviewer Workstation")
        self.setMinimumSize(440, 320)
        self._workstation = workstation
        self._workers = workers
        self.chosen: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Which queue do you want to review?"))
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda _row: self.choose())
        layout.addWidget(self.list)
        self.info = QLabel("Loading queues…")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start reviewing")
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.info.setText("Loading queues…")
        Op(self._workstation.queues).success(self._show).failure(self._failed).run_on(
            self._workers.network, self._workers
        )

    def _show(self, queues: list[Any]) -> None:
        self.list.clear()
        for queue in queues:
            row = QListWidgetItem(
                f"{queue.title}   ·   {queue.pending} pending   ·   sensitivity {queue.sensitivity}"
            )
            row.setData(QUEUE_ROLE, queue.name)
            self.list.addItem(row)
        if queues:
            self.list.setCurrentRow(0)
            self.list.setFocus()
            self.info.setText("")
        else:
            self.info.setText("You have no queues to review. Ask your lead to add you to one.")
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.info.setText(explain(error))
        if isinstance(error, AuthExpired):
            self.auth_expired.emit()

    def choose(self) -> None:
        row = self.list.currentItem()
        if row is None or self.chosen is not None:  # Enter can arrive twice (list + dialog)
            return
        self.chosen = row.data(QUEUE_ROLE)
        self.accept()
