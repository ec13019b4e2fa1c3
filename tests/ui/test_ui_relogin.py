"""An expired login shows the login dialog again; after it, work goes on, nothing lost."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from ui_helpers import PASSWORDS, decide_current


def test_auth_expired_in_a_worker_asks_to_log_in_again_then_continues(
    qtbot: Any, open_review: Any, workstation: Any
) -> None:
    window = open_review()
    decided, _ = decide_current(qtbot, window)
    workstation.api.token = "expired-token-0123456789"  # the server now answers 401

    for _ in range(20):  # below ~10 items left the window leases more: the worker gets 401
        if window.relogin.dialog is not None:
            break
        decide_current(qtbot, window)
        window.refresh_status()
    qtbot.waitUntil(lambda: window.relogin.dialog is not None, timeout=10000)
    dialog = window.relogin.dialog
    assert dialog.username.text() == "demo"  # prefilled: server and username remembered
    qtbot.keyClicks(dialog.password, PASSWORDS["demo"])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.relogin.dialog is None, timeout=10000)
    qtbot.waitUntil(lambda: not window.filling, timeout=10000)

    history = window.session.history(50)
    assert history[-1].decision.item_id == decided  # nothing lost
    assert window.session.status().pending_sync == len(history)  # still waiting to sync
    assert window.session.status().items_left >= 10  # the lease went through after login
    decide_current(qtbot, window)
