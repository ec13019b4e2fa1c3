"""A decision key held down decides exactly one item."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def test_decision_key_held_for_two_seconds_records_one_decision(
    qtbot: Any, open_review: Any
) -> None:
    window = open_review()
    first = window.current_id
    qtbot.keyPress(window, Qt.Key.Key_1)
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:  # what the OS sends while a key is held
        target = QApplication.focusWidget() or window
        for kind in (QEvent.Type.KeyRelease, QEvent.Type.KeyPress):
            QApplication.sendEvent(
                target, QKeyEvent(kind, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, "1",
                                  True)
            )
        qtbot.wait(30)
    qtbot.keyRelease(window, Qt.Key.Key_1)

    history = window.session.history(10)
    assert len(history) == 1
    assert history[0].decision.item_id == first
    assert window.current_id != first
