"""Login, resume, expiry and logout: tokens in the keyring, never in a file."""

from __future__ import annotations

import time
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring
from reviewer_helpers import PASSWORDS, decide_next, login_demo

from reviewer.errors import AuthExpired, BadCredentials, ServerUnavailable
from reviewer.secrets import SERVICE, SecretStore, is_secure_backend, open_secret_store
from reviewer.workstation import Workstation


def _files_bytes(directory: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in directory.rglob("*") if p.is_file()]


def test_login_puts_token_in_keyring_not_in_data_dir(demo_ws, seeded_server):
    token = demo_ws.secrets.get_token(seeded_server.url, "demo")
    assert token and demo_ws.secure_secrets
    assert keyring.get_password(SERVICE, f"token:demo@{seeded_server.url}") == token
    assert demo_ws.last_server() == seeded_server.url
    assert demo_ws.last_username() == "demo"
    session = demo_ws.start_review("hate-speech", background_sync=False)
    session.fill(min_ready=5)
    for _ in range(3):
        decide_next(session)
    demo_ws.sync_engine().sync_once()
    for path, data in _files_bytes(demo_ws.data_dir):
        assert token.encode() not in data, path
        assert PASSWORDS["demo"].encode() not in data, path


def test_resume_opens_logged_in(demo_ws, seeded_server):
    demo_ws.close()
    again = Workstation.open()
    try:
        user = again.resume()
        assert user is not None and user.username == "demo"
        assert [q.name for q in again.queues()]
    finally:
        again.close()


def test_resume_without_token_gives_none(workstation):
    assert workstation.resume() is None


def test_bad_password_is_refused(workstation, seeded_server):
    with pytest.raises(BadCredentials) as info:
        workstation.login(seeded_server.url, "demo", "not-the-password")
    assert "password" in info.value.message
    assert workstation.last_server() is None


def test_unreachable_server_on_login(workstation, seeded_server):
    seeded_server.stop()
    with pytest.raises(ServerUnavailable):
        workstation.login(seeded_server.url, "demo", PASSWORDS["demo"])


def test_expired_token_keeps_outbox(server_dirs, workstation):
    from server.embedded import EmbeddedServer

    db_url, data_dir = server_dirs  # a copy of the seeded template
    server = EmbeddedServer(db_url, data_dir, token_ttl=3.0).start()
    try:
        issued = time.monotonic()
        login_demo(workstation, server)
        session = workstation.start_review("spam", background_sync=False)
        session.fill(min_ready=3)
        decision = decide_next(session)
        time.sleep(max(0.0, issued + 3.2 - time.monotonic()))
        report = workstation.sync_engine().sync_once()
        assert report.auth_expired and report.accepted == 0
        assert workstation.store.outbox_count_pending() == 1
        with pytest.raises(AuthExpired):
            workstation.resume()
        assert workstation.store.outbox_count_pending() == 1
        login_demo(workstation, server)  # the UI's login dialog, back again
        report = workstation.sync_engine().sync_once()
        assert report.accepted == 1 and workstation.store.outbox_count_pending() == 0
        assert session.history(1)[0].decision.decision_id == decision.decision_id
        assert session.fill(min_ready=3) >= 1  # the open session goes on with the new token
    finally:
        server.stop()


def test_logout_forgets_token_and_media(demo_ws, seeded_server):
    session = demo_ws.start_review("hate-speech", background_sync=False)
    session.fill(min_ready=10)
    media_dir = demo_ws.data_dir / "media"
    assert any(media_dir.iterdir())
    demo_ws.logout()
    assert demo_ws.secrets.get_token(seeded_server.url, "demo") is None
    assert keyring.get_password(SERVICE, f"token:demo@{seeded_server.url}") is None
    assert not [p for p in media_dir.rglob("*") if p.is_file()]
    assert demo_ws.resume() is None


def test_media_is_encrypted_at_rest(demo_ws):
    session = demo_ws.start_review("hate-speech", background_sync=False)
    progress = []
    session.fill(min_ready=10, on_progress=lambda done, total: progress.append((done, total)))
    assert progress[0][0] == 0 and progress[-1][0] == progress[-1][1] > 0
    image = next(c for c in session.items() if c.item.media is not None)
    plain = session.media_bytes(image.item.id)
    assert plain.startswith((b"\x89PNG", b"\xff\xd8"))
    for path, data in _files_bytes(demo_ws.data_dir / "media"):
        assert plain[:64] not in data, path


def test_insecure_keyring_keeps_secrets_in_memory(tmp_path, monkeypatch):
    assert not is_secure_backend(fail.Keyring())
    monkeypatch.delenv("REVIEWER_ALLOW_FILE_KEYRING")
    assert not is_secure_backend(PlaintextKeyring())
    store = open_secret_store()
    assert store.secure is False
    store.set_token("http://s", "demo", "a-token-value-1234567890")
    assert store.get_token("http://s", "demo") == "a-token-value-1234567890"
    assert len(store.media_key()) == 32
    assert SecretStore(None).get_token("http://s", "demo") is None
    ws = Workstation.open(tmp_path / "insecure", store)
    try:
        assert ws.secure_secrets is False
    finally:
        ws.close()
