"""Protected by default: greyscale, blurred, never the revealed pixels outside a reveal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from ui_helpers import decide_current, wait_for_question

from wellness.protect import mask_text


def _is_grey(image: QImage) -> bool:
    step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            colour = image.pixelColor(x, y)
            if not (colour.red() == colour.green() == colour.blue()):
                return False
    return True


def test_items_are_shown_protected_and_revealed_only_while_held(
    qtbot: Any, open_review: Any
) -> None:
    window = open_review("hate-speech")  # a mix of images and text
    images = texts = 0
    for _ in range(12):
        wait_for_question(qtbot, window)
        if window.view.kind == "image" and not window.broken:
            prepared = window.presenter.prepared_current()
            shown = window.view.displayed_pixmap().toImage()
            revealed = prepared.revealed.convertToFormat(shown.format())
            assert shown != revealed
            assert _is_grey(shown)
            qtbot.keyPress(window, Qt.Key.Key_Space)
            assert window.view.displayed_pixmap().toImage() == revealed
            qtbot.keyRelease(window, Qt.Key.Key_Space)
            assert window.view.displayed_pixmap().toImage() == shown
            images += 1
        elif window.view.kind == "text":
            text = window.session.current().item.text
            assert window.view.displayed_text() == mask_text(text) != text
            qtbot.keyPress(window, Qt.Key.Key_Space)
            assert window.view.displayed_text() == text
            qtbot.keyRelease(window, Qt.Key.Key_Space)
            assert window.view.displayed_text() == mask_text(text)
            texts += 1
        decide_current(qtbot, window)
    assert images >= 2 and texts >= 1


def test_reveal_ends_when_the_window_loses_focus(qtbot: Any, open_review: Any) -> None:
    window = open_review()
    while window.view.kind not in ("image", "text") or window.broken:
        decide_current(qtbot, window)
    qtbot.keyPress(window, Qt.Key.Key_Space)
    assert window.view.revealed
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()  # another window takes the focus: the reveal must end
    qtbot.waitUntil(lambda: not window.view.revealed, timeout=2000)
