"""The review window says so when the login lives in memory for this session only."""

from __future__ import annotations

from typing import Any

from ui_helpers import PASSWORDS, biggest_queue, wait_for_question


def _open_window(qtbot: Any, server: Any, workstation: Any, workers: Any) -> Any:
    from ui.review.window import ReviewWindow

    workstation.login(server.url, "demo", PASSWORDS["demo"])
    session = workstation.start_review(biggest_queue(workstation), background_sync=False)
    window = ReviewWindow(workstation, session, workers, sync_loop=None)
    qtbot.addWidget(window)
    window.show()
    wait_for_question(qtbot, window)
    return window


def test_no_secure_keyring_is_shown_in_the_review_window(qtbot, seeded_server, workers):
    from reviewer.secrets import SecretStore
    from reviewer.workstation import Workstation
    from ui.status_bar import SESSION_ONLY_LOGIN

    workstation = Workstation.open(secrets=SecretStore(None))
    try:
        assert not workstation.secure_secrets
        window = _open_window(qtbot, seeded_server, workstation, workers)

        assert window.status.session_only.isVisible()
        assert window.status.session_only.text() == SESSION_ONLY_LOGIN
        window.close()
    finally:
        workstation.close()


def test_a_secure_keyring_shows_no_notice(qtbot, seeded_server, workstation, workers):
    assert workstation.secure_secrets
    window = _open_window(qtbot, seeded_server, workstation, workers)

    assert not window.status.session_only.isVisible()
    window.close()


def test_a_locked_keyring_is_named_as_such_not_as_missing(qtbot, seeded_server, workers,
                                                          tmp_path):
    """A keyring that exists but refuses (locked) is not "no secure keyring"."""
    from keyring.errors import KeyringLocked
    from keyrings.alt.file import PlaintextKeyring

    from reviewer.secrets import SecretStore
    from reviewer.workstation import Workstation

    class LockedKeyring(PlaintextKeyring):  # the real file backend, locked
        def get_password(self, service, username):
            raise KeyringLocked("the keyring is locked")

        def set_password(self, service, username, password):
            raise KeyringLocked("the keyring is locked")

    backend = LockedKeyring()
    backend.file_path = str(tmp_path / "locked.cfg")
    workstation = Workstation.open(secrets=SecretStore(backend))
    try:
        assert not workstation.secure_secrets
        window = _open_window(qtbot, seeded_server, workstation, workers)
        text = window.status.session_only.text()
        assert window.status.session_only.isVisible()
        assert "locked" in text and "No secure keyring" not in text
        window.close()
    finally:
        workstation.close()
