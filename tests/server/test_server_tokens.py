"""Revocable tokens, on SQLite and PostgreSQL: logout revokes the caller's token only; a
password change or a disabled user revokes every token of that user; the token lifetime
is a server setting.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server_harness import PASSWORD, Harness

from server.accounts import disable_user, enable_user, set_password
from server.embedded import EmbeddedServer


def _login(h: Harness, name: str, password: str = PASSWORD) -> dict[str, str]:
    reply = h.http.post("/auth/token", json={"username": name, "password": password})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def test_logout_revokes_only_the_callers_token(backend_harness: Harness) -> None:
    h = backend_harness
    h.user("alice")
    first, second = _login(h, "alice"), _login(h, "alice")
    out = h.http.post("/auth/logout", headers=first)
    assert out.status_code == 200 and out.json() == {"revoked": 1}
    refused = h.http.get("/me", headers=first)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_token"
    assert h.http.post("/auth/logout", headers=first).status_code == 401
    assert h.http.get("/me", headers=second).status_code == 200


def test_password_change_revokes_every_token(backend_harness: Harness) -> None:
    h = backend_harness
    old = h.user("bob")
    also_old = _login(h, "bob")
    new_password = secrets.token_urlsafe(16)
    assert set_password(h.server.db_url, "bob", new_password) == 2
    for headers in (old, also_old):
        assert h.http.get("/me", headers=headers).status_code == 401
    assert h.http.post("/auth/token", json={"username": "bob", "password": PASSWORD}
                       ).status_code == 401
    assert h.http.get("/me", headers=_login(h, "bob", new_password)).status_code == 200


def test_a_disabled_user_has_no_tokens_and_cannot_log_in(backend_harness: Harness) -> None:
    h = backend_harness
    headers = h.user("carol")
    assert disable_user(h.server.db_url, "carol") == 1
    assert h.http.get("/me", headers=headers).status_code == 401
    login = h.http.post("/auth/token", json={"username": "carol", "password": PASSWORD})
    assert login.status_code == 401 and login.json()["error"] == "invalid_credentials"
    enable_user(h.server.db_url, "carol")
    assert h.http.get("/me", headers=_login(h, "carol")).status_code == 200


def test_token_lifetime_is_a_server_setting(server_dirs: tuple[str, Path]) -> None:
    db_url, data_dir = server_dirs
    with EmbeddedServer(db_url, data_dir, token_ttl=90) as server:
        h = Harness(server)
        try:
            h.user("dave")
            reply = h.http.post("/auth/token", json={"username": "dave", "password": PASSWORD})
            expires_at = datetime.fromisoformat(reply.json()["expires_at"])
            assert expires_at < datetime.now(UTC) + timedelta(seconds=90)
            assert expires_at > datetime.now(UTC) + timedelta(seconds=30)
        finally:
            h.close()
