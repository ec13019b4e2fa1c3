"""Blind re-label, then side by side.

First the QA lead decides with the queue's taxonomy keys (1-9: an action key makes the
call, a label key toggles a label) without seeing what the reviewer did. Then both calls
are shown side by side: A agrees, D disagrees, an action key sets a corrected action, N
writes a note, Enter saves the verdict (`verdict_ready`), Esc starts the blind call again.
The reviewer's decision is never on screen before the blind call.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from reviewer.protocol import QADecision, Taxonomy
from reviewer.qa import make_verdict


class VerdictPanel(QWidget):
    """`verdict_ready(QAVerdict)` once saved; `problem(str)` for a refused save."""

    verdict_ready = Signal(object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision: QADecision | None = None
        self.taxonomy: Taxonomy | None = None
        self.blind_action: str | None = None
        self.agree: bool | None = None
        self.corrected: str | None = None
        self.labels: list[str] = []
        self.last_call: tuple[str, str] | None = None
        """(item id, action) of the last saved verdict: what Ctrl+G marks as gold."""
        self.heading = QLabel("Your call (blind)")
        self.heading.setObjectName("panelHeading")
        self.keys = QLabel("")
        self.keys.setWordWrap(True)
        self.mine = QLabel("")
        self.mine.setObjectName("qaCall")
        self.theirs = QLabel("")
        self.theirs.setObjectName("reviewerCall")
        self.theirs.setWordWrap(True)
        self.judgement = QLabel("")
        self.note = QLineEdit()
        self.note.setPlaceholderText("N: a note for the reviewer (optional)")
        self.note.returnPressed.connect(self.save)
        self.note.setVisible(False)
        side = QGridLayout()
        side.addWidget(QLabel("QA lead"), 0, 0)
        side.addWidget(QLabel("Reviewer"), 0, 1)
        side.addWidget(self.mine, 1, 0)
        side.addWidget(self.theirs, 1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.keys)
        layout.addLayout(side)
        layout.addWidget(self.judgement)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def stage(self) -> str:
        """`blind` (reviewer hidden), `compare` (side by side) or `idle`."""
        if self.decision is None:
            return "idle"
        return "blind" if self.blind_action is None else "compare"

    def start(self, decision: QADecision, taxonomy: Taxonomy) -> None:
        self.decision, self.taxonomy = decision, taxonomy
        self.blind_action = self.agree = self.corrected = None
        self.labels = []
        self.note.clear()
        self._render()

    def _key_of(self, key: int, entries: str = "actions") -> str | None:
        text = chr(key) if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 else None
        if text is None or self.taxonomy is None:
            return None
        return next((e.id for e in getattr(self.taxonomy, entries) if e.key == text), None)

    def _toggle_label(self, key: int) -> bool:
        label = self._key_of(key, "labels")
        if label is None:
            return False
        if label in self.labels:
            self.labels.remove(label)
        else:
            self.labels.append(label)
        self._render()
        return True

    def handle_key(self, key: int) -> bool:
        """A key routed from the workspace; True if used."""
        if self.decision is None:
            return False
        if self._toggle_label(key):
            return True
        action = self._key_of(key)
        if self.stage == "blind":
            if action is not None:
                self.blind_action = action
                self._render()
            return action is not None
        if action is not None:
            self.corrected = action if action != self.decision.action else None
            self.agree = False if self.corrected else self.agree
        elif key == Qt.Key.Key_A:
            self.agree, self.corrected = True, None
        elif key == Qt.Key.Key_D:
            self.agree = False
        elif key == Qt.Key.Key_N:
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
        elif key == Qt.Key.Key_Escape:
            self.start(self.decision, self.taxonomy)  # type: ignore[arg-type]
        else:
            return False
        self._render()
        return True

    def save(self) -> None:
        if self.decision is None or self.blind_action is None:
            return
        agree = self.agree if self.agree is not None else self.blind_action == self.decision.action
        try:
            verdict = make_verdict(self.decision, blind_action=self.blind_action, agree=agree,
                                   corrected=self.corrected, note=self.note.text(),
                                   labels=tuple(self.labels))
        except ValueError as exc:
            self.problem.emit(str(exc))
            return
        self.last_call = (self.decision.item_id, verdict.action)
        self.decision = None
        self._render()
        self.verdict_ready.emit(verdict)

    def call(self) -> tuple[str, str] | None:
        """(item id, the QA lead's action) now: corrected, else blind; else the last saved."""
        if self.decision is not None and self.blind_action is not None:
            return self.decision.item_id, self.corrected or self.blind_action
        return self.last_call

    def _render(self) -> None:
        decision, taxonomy = self.decision, self.taxonomy
        if decision is None or taxonomy is None:
            self.heading.setText("Choose a decision to judge")
            for label in (self.keys, self.mine, self.theirs, self.judgement):
                label.setText("")
            self.note.setVisible(False)
            return
        keys = "  ".join(f"{e.key} {e.title}" for e in [*taxonomy.actions, *taxonomy.labels]
                         if e.key)
        mine_labels = f" ({', '.join(self.labels)})" if self.labels else ""
        if self.stage == "blind":
            self.heading.setText("Your call (blind): the reviewer's decision is hidden")
            self.keys.setText(keys)
            self.mine.setText("…" + mine_labels)
            self.theirs.setText("hidden until you decide")
            self.judgement.setText("")
            self.note.setVisible(False)
            return
        self.heading.setText("Side by side: A agree · D disagree · a key corrects · "
                             "N note · Enter save · Esc again")
        self.keys.setText(keys)
        self.mine.setText((self.blind_action or "") + mine_labels)
        labels = f" ({', '.join(decision.labels)})" if decision.labels else ""
        note = f"\nNote: {decision.note}" if decision.note else ""
        self.theirs.setText(f"{decision.action}{labels}{note}")
        agree = self.agree if self.agree is not None else self.blind_action == decision.action
        verdict = "Agree" if agree else "Disagree"
        if self.corrected:
            verdict += f", should be {self.corrected}"
        self.judgement.setText(verdict)
        self.note.setVisible(True)
