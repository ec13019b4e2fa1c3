"""The form of one scope's policy: per field, whether this scope sets it, its value, and
what is wrong with it (shown next to the field).

Numbers are typed as text and validated like the server does (`check_policy`), so a
refusal reads the same whether it came from here or from the server.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from reviewer.protocol import BLUR_LEVELS, WellnessPolicy, WellnessPolicyStored

LABELS = {
    "blur_sigma_pct": "Blur strength (% of the short edge, medium)",
    "severity3_blur_factor": "Heavy blur factor",
    "greyscale": "Greyscale",
    "pixelate": "Pixelate",
    "mute_audio": "Mute audio",
    "autoplay": "Autoplay",
    "reveal_enabled": "Reveal allowed",
    "reveal_timeout_s": "Reveal timeout (s)",
    "max_reveals_per_item": "Reveals per item",
    "daily_reveal_seconds_cap": "Unprotected seconds per day",
    "daily_item_cap": "Items per day",
    "break_every_minutes": "Break every (min, 0 = none)",
    "break_length_minutes": "Break length (min)",
    "break_activity": "Shape game during breaks",
    "blur_by_severity": "Blur level by severity 0-3",
    "categories": "Per category (category: level [greyscale] [pixelate])",
}
ERROR_STYLE = "color: #c0392b;"


def categories_text(categories: dict[str, Any]) -> str:
    lines = []
    for name, rule in sorted(categories.items()):
        extra = [flag for flag in ("greyscale", "pixelate") if getattr(rule, flag)]
        lines.append(" ".join([f"{name}: {rule.blur}", *extra]))
    return "\n".join(lines)


def parse_categories(text: str) -> dict[str, dict[str, Any]] | str:
    """The per-category rules typed in the form, or a sentence saying what is wrong."""
    rules: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, rest = line.partition(":")
        words = rest.split()
        if not colon or not name.strip() or not words or words[0] not in BLUR_LEVELS:
            return (f"Line {number}: write `category: level`, a level being "
                    f"{', '.join(BLUR_LEVELS)}.")
        flags = set(words[1:])
        if flags - {"greyscale", "pixelate"}:
            return f"Line {number}: only greyscale and pixelate may follow the level."
        rules[name.strip()] = {"blur": words[0], "greyscale": "greyscale" in flags,
                               "pixelate": "pixelate" in flags}
    return rules


class _Row:
    """One field: the 'set here' box, the editor and the error label."""

    def __init__(self, name: str, editor: QWidget, parent: QWidget) -> None:
        self.name = name
        self.editor = editor
        self.set_here = QCheckBox(parent)
        self.set_here.setToolTip("This scope sets the field")
        self.set_here.setAccessibleName(f"set {name}")
        self.error = QLabel(parent)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.set_here.toggled.connect(editor.setEnabled)
        editor.setEnabled(False)


class PolicyForm(QWidget):
    """Edits the fields one scope sets. `settings()` gives them, raw, for `check_policy`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, _Row] = {}
        grid = QGridLayout(self)
        self.scope = QLineEdit(self)
        self.scope.setPlaceholderText("default, team:<name> or user:<name>")
        self.scope.setAccessibleName("scope")
        self.scope_error = QLabel(self)
        self.scope_error.setStyleSheet(ERROR_STYLE)
        grid.addWidget(QLabel("&Scope", self, buddy=self.scope), 0, 0, 1, 2)
        grid.addWidget(self.scope, 0, 2)
        grid.addWidget(self.scope_error, 0, 3)
        for line, name in enumerate(WellnessPolicy.model_fields, start=1):
            row = _Row(name, self._editor(name), self)
            self.rows[name] = row
            grid.addWidget(row.set_here, line, 0)
            grid.addWidget(QLabel(LABELS.get(name, name), self), line, 1)
            grid.addWidget(row.editor, line, 2)
            grid.addWidget(row.error, line, 3)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        self.load(None)

    def _editor(self, name: str) -> QWidget:
        default = getattr(WellnessPolicy(), name)
        if name == "blur_by_severity":
            box = QWidget(self)
            layout = QHBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            for severity in range(len(default)):
                combo = QComboBox(box)
                combo.addItems(BLUR_LEVELS)
                combo.setAccessibleName(f"severity {severity}")
                layout.addWidget(combo)
            return box
        if name == "categories":
            text = QPlainTextEdit(self)
            text.setTabChangesFocus(True)
            text.setFixedHeight(70)
            return text
        if isinstance(default, bool):
            return QCheckBox(self)
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        return edit

    # --- values -----------------------------------------------------------------------

    def load(self, stored: WellnessPolicyStored | None, scope: str = "") -> None:
        """Show a stored policy (or a new one for `scope`); clears the errors."""
        policy = stored.policy if stored else WellnessPolicy()
        self.scope.setText(stored.scope if stored else scope)
        self.scope.setReadOnly(stored is not None)
        for name, row in self.rows.items():
            row.set_here.setChecked(bool(stored) and name in stored.set_fields)
            row.editor.setEnabled(row.set_here.isChecked())
            self._show(row, getattr(policy, name))
        self.show_errors({})

    def _show(self, row: _Row, value: Any) -> None:
        editor = row.editor
        if row.name == "blur_by_severity":
            for combo, level in zip(editor.findChildren(QComboBox), value, strict=False):
                combo.setCurrentText(level)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(categories_text(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(f"{value:g}" if isinstance(value, float) else str(value))

    def settings(self) -> dict[str, Any]:
        """The fields this scope sets, as typed; categories text that does not parse is
        reported next to its field and left out."""
        found: dict[str, Any] = {}
        for name, row in self.rows.items():
            if not row.set_here.isChecked():
                continue
            editor = row.editor
            if name == "blur_by_severity":
                found[name] = [c.currentText() for c in editor.findChildren(QComboBox)]
            elif isinstance(editor, QPlainTextEdit):
                parsed = parse_categories(editor.toPlainText())
                if isinstance(parsed, str):
                    row.error.setText(parsed)
                    continue
                found[name] = parsed
            elif isinstance(editor, QCheckBox):
                found[name] = editor.isChecked()
            elif isinstance(editor, QLineEdit):
                found[name] = editor.text().strip()
        return found

    def show_errors(self, fields: dict[str, str]) -> None:
        """Put each message next to its field (`blur_by_severity.1` goes to its row)."""
        self.scope_error.setText(fields.get("scope", ""))
        for name, row in self.rows.items():
            messages = [message for key, message in fields.items()
                        if key == name or key.startswith(name + ".")]
            row.error.setText("; ".join(messages))

    def errors(self) -> dict[str, str]:
        """The messages shown now, by field (for tests and screen readers)."""
        shown = {name: row.error.text() for name, row in self.rows.items() if row.error.text()}
        if self.scope_error.text():
            shown["scope"] = self.scope_error.text()
        return shown
