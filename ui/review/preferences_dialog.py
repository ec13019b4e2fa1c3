"""Protection preferences: a reviewer may protect themselves more than the policy asks.

Every field starts at the policy in force and can only go the stricter way (the spin
boxes stop at the policy's value), so a preference never loosens anything; the core
applies them strictest-wins too (`reviewer.preferences`). Keyboard: Tab moves, arrows
change a value, Ctrl+Enter saves, Esc cancels.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reviewer.protocol import WellnessPolicy


class PreferencesDialog(QDialog):
    def __init__(self, base: WellnessPolicy, current: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Protection preferences")
        self.base = base
        layout = QVBoxLayout(self)
        intro = QLabel("Protect yourself more than your team's policy asks. Nothing here can "
                       "loosen the policy.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.blur = QDoubleSpinBox(minimum=base.blur_sigma_pct, maximum=20.0, singleStep=0.5,
                                   suffix=" % of the short edge")
        self.blur.setValue(max(base.blur_sigma_pct, current.get("blur_sigma_pct", 0.0)))
        self.pixelate = QCheckBox("Pixelate as well as blur")
        self.pixelate.setChecked(base.pixelate or bool(current.get("pixelate")))
        self.pixelate.setEnabled(not base.pixelate)
        self.timeout = QDoubleSpinBox(minimum=1.0, maximum=base.reveal_timeout_s, suffix=" s")
        self.timeout.setValue(min(base.reveal_timeout_s,
                                  current.get("reveal_timeout_s", base.reveal_timeout_s)))
        self.reveals = self._cap(base.max_reveals_per_item, current, "max_reveals_per_item")
        self.seconds = self._cap(base.daily_reveal_seconds_cap, current,
                                 "daily_reveal_seconds_cap", " s")
        self.items = self._cap(base.daily_item_cap, current, "daily_item_cap")
        for title, widget in (("Blur", self.blur), ("", self.pixelate),
                              ("A timed reveal lasts", self.timeout),
                              ("Reveals per item", self.reveals),
                              ("Reveal time a day", self.seconds), ("Items a day", self.items)):
            form.addRow(title, widget)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        self.blur.setFocus()

    @staticmethod
    def _cap(limit: int, current: dict[str, Any], name: str, suffix: str = "") -> QSpinBox:
        box = QSpinBox(minimum=0, maximum=limit, suffix=suffix)
        box.setValue(min(limit, current.get(name, limit)))
        return box

    def preferences(self) -> dict[str, Any]:
        """The fields set tighter than the policy (the rest follow the policy)."""
        base, chosen = self.base, {
            "blur_sigma_pct": self.blur.value(), "pixelate": self.pixelate.isChecked(),
            "reveal_timeout_s": self.timeout.value(),
            "max_reveals_per_item": self.reveals.value(),
            "daily_reveal_seconds_cap": self.seconds.value(), "daily_item_cap": self.items.value()}
        return {name: value for name, value in chosen.items() if value != getattr(base, name)}
