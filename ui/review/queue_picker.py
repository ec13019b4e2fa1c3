"""Choose a queue. Queues and pending counts load on the network worker.

When the server cannot be reached the picker offers the queues with items cached on
this computer (work can start offline), says so, and asks the server again with
backoff; when the server answers, the list becomes the server's, without a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.backoff import Backoff
from reviewer.errors import AuthExpired, ServerUnavailable
from ui.errors import explain
from ui.workers import Op, Workers

if TYPE_CHECKING:
    from reviewer.workstation import Workstation

QUEUE_ROLE = Qt.ItemDataRole.UserRole
OFFLINE_NOTE = ("The review server cannot be reached. These queues have items on this "
                "computer: you can review them now, and your decisions sync when the "
                "server is back. Asking the server again in {seconds} s.")


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
        self.offline = False
        self.took_offline: Any = None
        """The batch taken offline on purpose, if the reviewer took one."""
        self._backoff = Backoff(base=2.0, cap=60.0)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self.reload)
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
        self.take_offline = buttons.addButton("Take a batch offline",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.take_offline.setToolTip(
            "Before a planned outage or travel: lease a larger batch for longer, kept on "
            "this computer when you quit.")
        self.take_offline.clicked.connect(self.choose_offline)
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        if not self.offline:
            self.info.setText("Loading queues…")
        Op(self._workstation.queues).success(self._online).failure(self._failed).run_on(
            self._workers.network, self._workers
        )

    def _online(self, queues: list[Any]) -> None:
        self.offline = False
        self._backoff.reset()
        self._show(queues)

    def _show(self, queues: list[Any]) -> None:
        row = self.list.currentItem()
        keep = row.data(QUEUE_ROLE) if row is not None else None
        self.list.clear()
        queues = sorted(queues, key=lambda q: q.pending == 0)  # the ones with work first
        for queue in queues:
            row = QListWidgetItem(queue_row_text(queue))
            row.setData(QUEUE_ROLE, queue.name)
            if queue.pending == 0:
                row.setForeground(QColor(EMPTY_QUEUE_COLOUR))
            self.list.addItem(row)
        if queues:
            names = [q.name for q in queues]
            self.list.setCurrentRow(names.index(keep) if keep in names else 0)
            self.list.setFocus()
            self.info.setText("")
        else:
            self.info.setText("You have no queues to review. Ask your lead to add you to one.")
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.info.setText(explain(error))
        if isinstance(error, AuthExpired):
            self.auth_expired.emit()
            return
        if isinstance(error, ServerUnavailable):
            Op(self._workstation.cached_queues).success(self._show_cached).run_on(
                self._workers.store, self._workers)
            return
        self._retry.start(int(self._backoff.next_delay() * 1000))

    def _show_cached(self, queues: list[Any]) -> None:
        """Offline: the queues with cached items; the server is asked again later."""
        delay = self._backoff.next_delay()
        self.offline = True
        if queues:
            self._show(queues)
            self.info.setText(OFFLINE_NOTE.format(seconds=round(delay)))
        else:
            self.info.setText(f"{ServerUnavailable().message} No items are cached on this "
                              f"computer. Asking the server again in {round(delay)} s.")
        self._retry.start(int(delay * 1000))

    def done(self, result: int) -> None:
        self._retry.stop()  # chosen or cancelled: no more asking
        super().done(result)

    def choose_offline(self) -> None:
        """Lease a larger batch of the selected queue (network worker), then start."""
        row = self.list.currentItem()
        if row is None or self.chosen is not None or self.offline:
            return
        queue = row.data(QUEUE_ROLE)
        self.take_offline.setEnabled(False)
        self.info.setText("Leasing a batch to work offline…")
        Op(lambda: self._workstation.take_batch_offline(queue)).success(
            lambda batch: self._took_offline(batch)
        ).failure(self._offline_failed).run_on(self._workers.network, self._workers)

    def _took_offline(self, batch: Any) -> None:
        self.took_offline = batch
        self.take_offline.setEnabled(True)
        if not batch.items:
            self.info.setText("This queue has no items to take offline right now.")
            return
        self.choose()

    def _offline_failed(self, error: BaseException) -> None:
        self.take_offline.setEnabled(True)
        self.info.setText(explain(error))

    def choose(self) -> None:
        row = self.list.currentItem()
        if row is None or self.chosen is not None:  # Enter can arrive twice (list + dialog)
            return
        self.chosen = row.data(QUEUE_ROLE)
        self.accept()


EMPTY_QUEUE_COLOUR = "#9aa0a6"


def queue_row_text(queue: Any) -> str:
    """"Spam · 12 pending · sensitivity 1", or "Spam · no items right now · …"."""
    work = f"{queue.pending} pending" if queue.pending else "no items right now"
    return f"{queue.title}   ·   {work}   ·   sensitivity {queue.sensitivity}"
