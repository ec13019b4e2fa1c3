"""A reviewer's own protection preferences only tighten the policy, hold across restarts
and change the protection on screen at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from ui_helpers import decide_current

from reviewer.preferences import load_preferences, save_preferences, with_preferences
from reviewer.protocol import WellnessPolicy
from ui.review.preferences_dialog import PreferencesDialog


def test_preferences_only_tighten_the_policy() -> None:
    policy = WellnessPolicy(blur_sigma_pct=3.0, reveal_timeout_s=10, daily_item_cap=500)
    tighter = with_preferences(policy, {"blur_sigma_pct": 6.0, "reveal_timeout_s": 4,
                                        "pixelate": True, "daily_item_cap": 100})
    assert (tighter.blur_sigma_pct, tighter.reveal_timeout_s) == (6.0, 4)
    assert tighter.pixelate and tighter.daily_item_cap == 100
    looser = with_preferences(policy, {"blur_sigma_pct": 1.0, "reveal_timeout_s": 60,
                                       "daily_item_cap": 5000})
    assert looser == policy  # a preference never loosens anything


def test_the_dialog_stops_at_the_policy(qtbot: Any) -> None:
    policy = WellnessPolicy(blur_sigma_pct=3.0, reveal_timeout_s=10)
    dialog = PreferencesDialog(policy, {})
    qtbot.addWidget(dialog)
    dialog.blur.setValue(1.0)  # below the policy: held at it
    dialog.timeout.setValue(30)  # above it: held at it
    assert dialog.preferences() == {}
    dialog.blur.setValue(5.0)
    assert dialog.preferences() == {"blur_sigma_pct": 5.0}


def test_preferences_apply_at_once_and_survive_a_restart(qtbot: Any, open_review: Any,
                                                         workstation: Any) -> None:
    window = open_review("violent-imagery")
    while window.view.kind != "image" or window.broken:
        decide_current(qtbot, window)
    before = window.view.displayed_pixmap().toImage()

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        dialog.pixelate.setChecked(True)
        dialog.timeout.setValue(3)
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(100, in_dialog)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.session.policy.pixelate, timeout=5000)
    assert window.session.policy.reveal_timeout_s == 3
    assert load_preferences(workstation.store, "demo") == {"pixelate": True,
                                                           "reveal_timeout_s": 3.0}
    qtbot.waitUntil(lambda: window.state == "question" and window.view.kind == "image",
                    timeout=10000)
    assert window.view.displayed_pixmap().toImage() != before  # prepared again, pixelated
    window.close()

    again = workstation.start_review("violent-imagery", background_sync=False)
    assert again.policy.pixelate and again.policy.reveal_timeout_s == 3  # kept per user
    save_preferences(workstation.store, "demo", {})
