"""`reviewer logout` revokes the token on the server, and the client sends a password or
token over plain http only to this machine unless told `--allow-insecure`."""

from __future__ import annotations

import pytest
from reviewer_helpers import PASSWORDS

from reviewer.api import ApiClient
from reviewer.errors import AuthExpired
from reviewer.server_address import InsecureServer, require_secure


def test_logout_revokes_the_token_on_the_server(demo_ws, seeded_server):
    token = demo_ws.secrets.get_token(seeded_server.url, "demo")
    assert token
    assert demo_ws.logout() is True
    api = ApiClient(seeded_server.url, token)
    try:
        with pytest.raises(AuthExpired):
            api.me()
    finally:
        api.close()


def test_logout_offline_still_forgets_the_token(demo_ws, seeded_server):
    seeded_server.stop()
    assert demo_ws.logout() is False
    assert demo_ws.secrets.get_token(seeded_server.url, "demo") is None


@pytest.mark.parametrize("url", ["http://10.1.2.3:8080", "http://reviews.example.com",
                                 "http://[2001:db8::1]:8080"])
def test_plain_http_to_another_machine_is_refused(workstation, url):
    with pytest.raises(InsecureServer) as info:
        workstation.login(url, "demo", PASSWORDS["demo"])
    assert "https://" in info.value.message and "--allow-insecure" in info.value.message
    assert workstation.last_server() is None
    require_secure(url, allow_insecure=True)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:8080",
                                 "http://[::1]:8080", "https://reviews.example.com"])
def test_loopback_and_https_are_allowed(url):
    require_secure(url)


def test_the_app_can_be_told_to_allow_plain_http():
    """`reviewer --allow-insecure` reaches the Workstation the login dialog uses."""
    from reviewer.cli import build_parser

    assert build_parser().parse_args(["--allow-insecure"]).app_allow_insecure is True
    assert build_parser().parse_args([]).app_allow_insecure is False
