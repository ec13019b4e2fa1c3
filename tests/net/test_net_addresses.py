"""An address typed in the login dialog is checked and refused with a sentence."""

from __future__ import annotations

from typing import Any


def test_the_login_dialog_says_a_bad_address_is_not_valid(qtbot: Any, workstation: Any,
                                                        workers: Any) -> None:
    from ui.login_dialog import LoginDialog

    dialog = LoginDialog(workstation, workers)
    qtbot.addWidget(dialog)
    dialog.server.setText("http://[::1")
    dialog.username.setText("someone")
    dialog.password.setText("irrelevant-here")
    dialog.submit()
    qtbot.waitUntil(lambda: "not a valid server address" in dialog.error.text(), timeout=5000)
