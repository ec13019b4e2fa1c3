"""The effective policy of one reviewer: every value and the scope it comes from."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.coordinator import CoordinatorService
from reviewer.protocol import EffectivePolicy
from ui.coordinator.background import Background


def effective_rows(effective: EffectivePolicy) -> list[tuple[str, str, str]]:
    """(setting, value, source) per value, compound fields one row per element."""
    rows = []
    policy = effective.policy
    for name in type(policy).model_fields:
        value = getattr(policy, name)
        if name == "blur_by_severity":
            rows += [(f"blur level, severity {n}", level,
                      effective.sources.get(f"{name}.{n}", "")) for n, level in enumerate(value)]
        elif name == "categories":
            rows += [(f"category {category}",
                      " ".join([rule.blur] + [f for f in ("greyscale", "pixelate")
                                              if getattr(rule, f)]),
                      effective.sources.get(f"{name}.{category}", ""))
                     for category, rule in sorted(value.items())]
        else:
            rows.append((name, f"{value:g}" if isinstance(value, float) else str(value),
                         effective.sources.get(name, "")))
    return rows


class EffectiveView(QWidget):
    """Type a username, press Enter: the policy in force for them, value by value."""

    def __init__(self, service: CoordinatorService, background: Background,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._bg = service, background
        self.username = QLineEdit(self)
        self.username.setPlaceholderText("reviewer's username")
        self.username.setAccessibleName("username")
        self.status = QLabel(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["setting", "value", "comes from"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        show = QPushButton("&Show", self)
        top = QHBoxLayout()
        top.addWidget(QLabel("&Reviewer", self, buddy=self.username))
        top.addWidget(self.username, 1)
        top.addWidget(show)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.username.returnPressed.connect(self.show_reviewer)
        show.clicked.connect(self.show_reviewer)

    def show_reviewer(self) -> None:
        name = self.username.text().strip()
        if not name:
            self.status.setText("Type a reviewer's username.")
            return
        self.status.setText(f"Loading the policy of {name}…")
        self._bg.run(lambda: self._service.effective(name), self._shown,
                     lambda message, _e: self.status.setText(message))

    def _shown(self, effective: EffectivePolicy) -> None:
        rows = effective_rows(effective)
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        teams = ", ".join(effective.teams) or "no team"
        self.status.setText(f"{effective.username} ({teams}); days count in "
                            f"{effective.time_zone}.")
