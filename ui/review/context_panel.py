"""What the reviewer reads before deciding whether to reveal: category, severity, reason.

Shown beside the item at all times, so a reviewer can often decide from the context
and the protected view alone (the reason reveal is opt-in). Below the facts, the
queue's labels with their keys, checked when chosen for the next decision. An item of
an escalation queue also shows the first reviewer's decision, note and timeline.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from ui.legend import key_text, restyle
from ui.shortcuts import Command

SEVERITY_NAMES = {0: "0 · low", 1: "1 · moderate", 2: "2 · high", 3: "3 · severe"}
DESCRIPTION_KEYS = ("description", "summary", "title")


def describe_due(due: datetime | None, now: datetime | None = None) -> str:
    """"14:05 (in 23 min)" in local time, or "overdue"."""
    if due is None:
        return "—"
    now = now or datetime.now(UTC)
    if due.tzinfo is None:
        due = due.replace(tzinfo=UTC)
    minutes = int((due - now).total_seconds() // 60)
    local = due.astimezone().strftime("%H:%M")
    if minutes < 0:
        return f"{local} (overdue by {-minutes} min)"
    if minutes < 120:
        return f"{local} (in {minutes} min)"
    return f"{due.astimezone().strftime('%d %b %H:%M')}"


ESCALATION_FIELDS = (
    ("escalated_from", "From item"),
    ("escalated_by", "Escalated by"),
    ("first_decision", "First decision"),
    ("escalation_note", "Their note"),
    ("first_timeline", "Their timeline"),
)
"""The context keys the server's escalation tier adds (`server.services.escalation`)."""


def describe_escalation(context: dict[str, str], limit: int = 300) -> str:
    """The first tier's decision in readable lines, or "" for an item not escalated."""
    if not context.get("escalated_from"):
        return ""
    lines = ["Escalated — first review:"]
    for key, title in ESCALATION_FIELDS:
        value = context.get(key)
        if value:
            lines.append(f"{title}: {value if len(value) <= limit else value[:limit] + '…'}")
    return "\n".join(lines)


class ContextPanel(QFrame):
    """Item facts in a form; `note` shows a note waiting for the next decision; one chip
    per label command (from the shortcut table), checked when chosen."""

    def __init__(self, labels: Sequence[Command] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextPanel")
        self.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        heading = QLabel("Context")
        heading.setObjectName("panelHeading")
        layout.addWidget(heading)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.fields: dict[str, QLabel] = {}
        for key, title in (
            ("report_reason", "Report reason"),
            ("category", "Category"),
            ("severity", "Severity"),
            ("sla_due", "SLA due"),
            ("kind", "Kind"),
            ("item", "Item"),
        ):
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            form.addRow(title, value)
            self.fields[key] = value
        layout.addLayout(form)
        self.description = QLabel("")
        self.description.setObjectName("description")
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self.escalation = QLabel("")
        self.escalation.setObjectName("escalation")
        self.escalation.setWordWrap(True)
        self.escalation.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.escalation)
        self.budget = QLabel("")
        self.budget.setObjectName("budget")
        self.budget.setWordWrap(True)
        layout.addWidget(self.budget)
        self.note = QLabel("")
        self.note.setObjectName("pendingNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.label_chips: dict[str, tuple[Command, QLabel]] = {}
        self.chosen_labels: frozenset[str] = frozenset()
        if labels:
            self._add_label_chips(layout, labels)
        layout.addStretch(1)

    def _add_label_chips(self, layout: QVBoxLayout, labels: Sequence[Command]) -> None:
        heading = QLabel("Labels for the next decision")
        heading.setObjectName("panelHeading")
        layout.addWidget(heading)
        for command in labels:
            chip = QLabel()
            chip.setObjectName("labelChip")
            layout.addWidget(chip)
            self.label_chips[command.toggles or command.id] = (command, chip)
        self.show_chosen_labels(())

    def set_label_commands(self, labels: Sequence[Command]) -> None:
        """The label commands with their (maybe changed) keys."""
        for command in labels:
            label_id = command.toggles or command.id
            if label_id in self.label_chips:
                self.label_chips[label_id] = (command, self.label_chips[label_id][1])
        self.show_chosen_labels(self.chosen_labels)

    def show_chosen_labels(self, chosen: Collection[str]) -> None:
        self.chosen_labels = frozenset(chosen)
        for label_id, (command, chip) in self.label_chips.items():
            picked = label_id in self.chosen_labels
            chip.setText(f"{'☑' if picked else '☐'}  {key_text(command.key)}  {command.title}")
            chip.setProperty("chosen", picked)
            restyle(chip)

    def show_item(self, item: Any | None) -> None:
        if item is None:
            for value in self.fields.values():
                value.setText("—")
            self.description.setText("")
            self.escalation.setText("")
            return
        context = item.context or {}
        self.fields["report_reason"].setText(context.get("report_reason", "—"))
        self.fields["category"].setText(item.category)
        self.fields["severity"].setText(SEVERITY_NAMES.get(item.severity, str(item.severity)))
        self.fields["sla_due"].setText(describe_due(item.sla_due))
        self.fields["kind"].setText(item.kind)
        self.fields["item"].setText(item.id)
        description = next((context[k] for k in DESCRIPTION_KEYS if context.get(k)), "")
        self.description.setText(description[:400])
        self.escalation.setText(describe_escalation(context))

    def show_budget(self, text: str) -> None:
        """What is left of today's exposure budget, and a running reveal's countdown."""
        self.budget.setText(text)

    def show_note(self, note: str | None) -> None:
        self.note.setText(f"Note for the next decision: {note}" if note else "")
