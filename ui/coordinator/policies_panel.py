"""Policies: the stored scopes, the form of the chosen one, save and delete, its audit trail.

Keys: Ctrl+N new scope, Ctrl+S save, Ctrl+Delete delete, F5 reload; arrows move in the list.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.coordinator import CoordinatorService, PolicyRejected, check_policy
from reviewer.protocol import PolicyChanges, WellnessPolicies, WellnessPolicyStored
from ui.coordinator.background import Background
from ui.coordinator.policy_form import PolicyForm


class PoliciesPanel(QWidget):
    def __init__(self, service: CoordinatorService, background: Background,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._bg = service, background
        self._select_next: str | None = None
        self.scopes = QListWidget(self)
        self.scopes.setAccessibleName("policies")
        self.form = PolicyForm(self)
        self.status = QLabel(self)
        self.changes = QTableWidget(0, 4, self)
        self.changes.setHorizontalHeaderLabels(["when", "who", "before", "after"])
        self.changes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._build()
        self.scopes.currentItemChanged.connect(self._chosen)
        for keys, slot in ((QKeySequence.StandardKey.New, self.new_scope),
                           (QKeySequence.StandardKey.Save, self.save),
                           ("Ctrl+Delete", self.delete), (QKeySequence.StandardKey.Refresh,
                                                          self.reload)):
            QShortcut(QKeySequence(keys), self, slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build(self) -> None:
        buttons = QHBoxLayout()
        for text, slot in (("&New scope", self.new_scope), ("&Save", self.save),
                           ("&Delete", self.delete), ("&Reload", self.reload)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        scroll = QScrollArea(self)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.addLayout(buttons)
        column.addWidget(scroll, 3)
        column.addWidget(self.status)
        column.addWidget(QLabel("Changes of this scope (newest first)", right))
        column.addWidget(self.changes, 1)
        split = QSplitter(self)
        split.addWidget(self.scopes)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        QVBoxLayout(self).addWidget(split)

    # --- actions ----------------------------------------------------------------------

    def reload(self, *, announce: bool = True) -> None:
        if announce:
            self._say("Loading policies…")
        self._bg.run(self._service.policies, lambda p: self._listed(p, announce), self._failed)

    def _listed(self, policies: WellnessPolicies, announce: bool = True) -> None:
        chosen, self._select_next = self._select_next or self.current_scope(), None
        self.scopes.clear()
        for stored in policies.data:
            item = QListWidgetItem(stored.scope, self.scopes)
            item.setData(Qt.ItemDataRole.UserRole, stored)
        if announce:
            self._say(f"{policies.count} stored policies.")
        matches = self.scopes.findItems(chosen or "default", Qt.MatchFlag.MatchExactly)
        if matches:
            self.scopes.setCurrentItem(matches[0])
        elif self.scopes.count():
            self.scopes.setCurrentRow(0)

    def current_scope(self) -> str | None:
        item = self.scopes.currentItem()
        return item.text() if item else None

    def _chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        stored: WellnessPolicyStored = item.data(Qt.ItemDataRole.UserRole)
        self.form.load(stored)
        self._bg.run(lambda: self._service.changes(stored.scope), self._show_changes,
                     self._failed)

    def _show_changes(self, changes: PolicyChanges) -> None:
        self.changes.setRowCount(len(changes.data))
        for row, change in enumerate(changes.data):
            cells = (change.at.strftime("%Y-%m-%d %H:%M"), change.who,
                     _brief(change.before), _brief(change.after))
            for column, text in enumerate(cells):
                self.changes.setItem(row, column, QTableWidgetItem(text))

    def new_scope(self) -> None:
        self.scopes.clearSelection()
        self.form.load(None, scope="team:")
        self.changes.setRowCount(0)
        self.form.scope.setFocus()

    def save(self) -> None:
        self.form.show_errors({})
        scope = self.form.scope.text().strip()
        settings = self.form.settings()
        if self.form.errors():
            self._say("Correct the fields marked in red.")
            return
        try:
            check_policy(settings)
        except PolicyRejected as exc:
            self.form.show_errors(exc.fields)
            self._say("Correct the fields marked in red.")
            return
        self._say(f"Saving {scope}…")
        self._bg.run(lambda: self._service.save_policy(scope, settings), self._saved,
                     self._rejected)

    def _saved(self, stored: WellnessPolicyStored) -> None:
        self._say(f"Saved {stored.scope}. Reviewers get it on their next policy fetch.")
        self.form.load(stored)
        self._select_next = stored.scope
        self.reload(announce=False)

    def _rejected(self, message: str, error: BaseException) -> None:
        if isinstance(error, PolicyRejected):
            self.form.show_errors(error.fields or {"scope": message})
        self._say(message)

    def delete(self) -> None:
        scope = self.current_scope()
        if not scope:
            self._say("Choose a stored policy to delete.")
            return
        self._bg.run(lambda: self._service.delete_policy(scope),
                     lambda _none: self._deleted(scope), self._failed)

    def _deleted(self, scope: str) -> None:
        self._say(f"Deleted the policy of {scope}.")
        self.form.load(None)
        self.reload(announce=False)

    def _failed(self, message: str, _error: BaseException) -> None:
        self._say(message)

    def _say(self, text: str) -> None:
        self.status.setText(text)


def _brief(settings: dict[str, object] | None) -> str:
    return "(none)" if settings is None else json.dumps(settings, sort_keys=True)
