"""The replay: the item in the same protected view the reviewer had (`ui.protected`,
bound to the QA lead's `ReplayContent`), the decision's timeline, and the verdict panel.

Content reaches the screen only through the protected view: protected by the QA lead's
policy, revealed only through their own exposure gate (Space held, R for a timed reveal).
A broken item shows "cannot display" and its timeline still plays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from reviewer.protocol import QADecision
from reviewer.qa_replay import ReplayTimeline
from ui.protected.item_view import ItemView
from ui.protected.preparer import Preparer
from ui.protected.reveal import RevealController
from ui.qa.timeline_view import TimelineView
from ui.qa.verdict_panel import VerdictPanel
from ui.workers import Op

if TYPE_CHECKING:
    from reviewer.qa import QAService
    from ui.workers import Workers

TIMELINE_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_P, Qt.Key.Key_F}


class ReplayView(QWidget):
    """One decision at a time: `open(decision)`."""

    def __init__(self, service: QAService, workers: Workers,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.decision: QADecision | None = None
        self.view = ItemView()
        self.preparer = Preparer(service.replay, workers)
        # The decoder child starts now, not on the first replay (its start is most of
        # a cold first open): a process start on the image worker, off the GUI thread.
        Op(self.preparer.decoder.start).run_on(workers.images, workers)
        self.preparer.ready.connect(self._prepared)
        self.reveal = RevealController(service.replay, self.view)
        self.reveal.prepared = self._prepared_current
        self.about = QLabel("Choose a decision in the finder (Ctrl+1) and press Enter.")
        self.about.setObjectName("replayAbout")
        self.about.setWordWrap(True)
        self.said = QLabel("")
        self.said.setObjectName("replaySaid")
        self.reveal.refused.connect(self.said.setText)
        self.timeline = TimelineView()
        self.verdict = VerdictPanel()
        left = QVBoxLayout()
        left.addWidget(self.about)
        left.addWidget(self.view, 1)
        left.addWidget(self.said)
        right = QVBoxLayout()
        right.addWidget(self.timeline, 1)
        right.addWidget(self.verdict, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def open(self, decision: QADecision) -> None:
        """Show the item protected, its timeline from the start, and the blind call."""
        self.reveal.end("item change")
        self.decision = decision
        self.said.setText("")
        item = decision.item
        self.about.setText(f"{decision.reviewer} · {decision.queue} · {decision.item_id}"
                           + (f" · {item.category}, severity {item.severity}" if item else ""))
        if item is None:
            self.view.show_broken("The item no longer exists on the server.")
        else:
            self.service.replay.show(item)
            self._show_item()
        self.timeline.show_timeline(ReplayTimeline(decision))
        self.verdict.start(decision, self.service.taxonomy(decision.queue))

    def prefetch(self, decisions: list[QADecision]) -> None:
        """Prepare these decisions' images ahead (the finder's selection and the rows after
        it), so opening one paints a ready picture; the item on screen stays prepared."""
        items = [d.item for d in decisions if d.item is not None]
        current = self.decision.item if self.decision else None
        if current is not None:
            items.insert(0, current)
        self.service.replay.know(items)
        self.preparer.want(items, self.view.target_size())

    def _show_item(self) -> None:
        item = self.decision.item if self.decision else None
        if item is None:
            return
        if item.kind == "text":
            self.view.show_text(item.text or "")
        elif item.kind == "image":
            prepared = self._prepared_current()
            if prepared is None:
                self.view.show_message("Preparing the protected view…", loading=True)
                self.preparer.want([item], self.view.target_size())
            elif prepared.error:
                self.view.show_broken(prepared.error)
            else:
                self.view.show_image(prepared.protected_pix())
        else:
            self.view.show_broken("This kind of item cannot be replayed here.")

    def _prepared_current(self):  # noqa: ANN202 - PreparedView | None
        item = self.decision.item if self.decision else None
        return self.preparer.get(item.id, self.view.target_size()) if item else None

    def _prepared(self, item_id: str) -> None:
        item = self.decision.item if self.decision else None
        if item is not None and item.id == item_id:
            self._show_item()

    def handle_key(self, key: int, auto_repeat: bool) -> bool:
        """Keys of the replay screen; True if used. Space is handled by the window."""
        if key in TIMELINE_KEYS:
            self.timeline.route_key(key, auto_repeat)
            return True
        if key == Qt.Key.Key_R and not auto_repeat:
            self.reveal.toggle()
            return True
        return not auto_repeat and self.verdict.handle_key(key)

    def close_view(self) -> None:
        self.reveal.end("close")
        self.timeline.stop()
        self.preparer.close()
