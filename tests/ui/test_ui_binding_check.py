"""The installed Qt binding keeps None's reference count intact (or the app refuses)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from ui.binding_check import binding_problem, none_refcount_drift


def test_the_installed_binding_does_not_lose_references_to_none(qapp):
    """What pyproject's pin guarantees: thousands of Qt calls that return nothing (the
    review window makes them all day) leave None's reference count where it was."""
    widget, image = QWidget(), QImage(8, 8, QImage.Format.Format_RGB32)
    before = sys.getrefcount(None)
    for _ in range(5000):
        widget.update()
        image.setPixel(1, 1, 0xFF000000)
    assert before - sys.getrefcount(None) < 100
    assert none_refcount_drift() < 10
    assert binding_problem() is None
