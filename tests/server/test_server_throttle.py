"""Login throttling: failures per username and per client address lead to 429 with
`Retry-After`, before any password is checked (a right password is refused too), and a
flood of attempts from one address is cut off; other users and routes are unaffected.
The counts are in the database: two servers on one database share them.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from server_harness import PASSWORD, Harness

from reviewer.protocol import API_PREFIX
from server.embedded import EmbeddedServer


def _server(server_dirs: tuple[str, Path], **settings: object) -> EmbeddedServer:
    db_url, data_dir = server_dirs
    return EmbeddedServer(db_url, data_dir, login_delay_step=0.01, **settings).start()


def _login(h: Harness | httpx.Client, name: str, password: str
           ) -> tuple[int, dict[str, str], str]:
    http = h.http if isinstance(h, Harness) else h
    reply = http.post("/auth/token", json={"username": name, "password": password})
    return reply.status_code, dict(reply.headers), reply.json().get("error", "")


def test_failures_per_username_end_in_429_with_retry_after(
        server_dirs: tuple[str, Path]) -> None:
    server = _server(server_dirs, login_failures_per_user="3 per 5 minutes")
    h = Harness(server)
    try:
        h.user("alice")
        h.user("bob")
        assert [_login(h, "alice", "wrong-guess")[0] for _ in range(3)] == [401] * 3
        status, headers, error = _login(h, "alice", PASSWORD)
        assert (status, error) == (429, "too_many_logins")
        assert 1 <= int(headers["retry-after"]) <= 300
        assert _login(h, "ALICE", "wrong-guess")[0] == 429  # names are case-blind here
        assert _login(h, "bob", PASSWORD)[0] == 200
    finally:
        h.close()
        server.stop()


def test_a_right_password_forgives_the_names_failures(server_dirs: tuple[str, Path]) -> None:
    server = _server(server_dirs, login_failures_per_user="3 per 5 minutes")
    h = Harness(server)
    try:
        h.user("carol")
        for _ in range(2):
            assert _login(h, "carol", "wrong-guess")[0] == 401
        assert _login(h, "carol", PASSWORD)[0] == 200
        assert [_login(h, "carol", "wrong-guess")[0] for _ in range(3)] == [401] * 3
        assert _login(h, "carol", PASSWORD)[0] == 429
    finally:
        h.close()
        server.stop()


def test_failures_per_address_cover_many_usernames(server_dirs: tuple[str, Path]) -> None:
    server = _server(server_dirs, login_failures_per_address="4 per 5 minutes")
    h = Harness(server)
    try:
        h.user("dave")
        assert [_login(h, f"guess{n}", "wrong-guess")[0] for n in range(4)] == [401] * 4
        status, headers, _ = _login(h, "dave", PASSWORD)
        assert status == 429 and int(headers["retry-after"]) >= 1
        me = h.http.get("/me", headers=h.user("erin"))
        assert me.status_code == 200  # only logins are throttled
    finally:
        h.close()
        server.stop()


def test_a_flood_of_logins_from_one_address_is_cut_off(server_dirs: tuple[str, Path]) -> None:
    server = _server(server_dirs, login_attempts_per_address="5 per minute")
    h = Harness(server)
    try:
        h.user("fay")
        codes = [_login(h, "fay", PASSWORD)[0] for _ in range(7)]
        assert codes == [200] * 5 + [429] * 2
    finally:
        h.close()
        server.stop()


def test_two_servers_on_one_database_share_the_counts(server_dirs: tuple[str, Path]) -> None:
    """Failures through either server count at both (as for the worker processes of
    `serve --workers N`): the limit is the configured total, not per server."""
    limits = {"login_failures_per_user": "4 per 5 minutes",
              "login_attempts_per_address": "9 per minute"}
    servers = [_server(server_dirs, **limits), _server(server_dirs, **limits)]
    h = Harness(servers[0])
    other = httpx.Client(base_url=servers[1].url + API_PREFIX, timeout=20)
    clients: list[Harness | httpx.Client] = [h, other]
    try:
        h.user("gus")
        assert [_login(clients[n % 2], "gus", "wrong-guess")[0] for n in range(4)] == [401] * 4
        assert [_login(client, "gus", PASSWORD)[0] for client in clients] == [429, 429]
        h.user("hal")  # the address has used 4 attempts of its 9, 2 through each server
        codes = [_login(clients[n % 2], "hal", PASSWORD)[0] for n in range(7)]
        assert codes == [200] * 5 + [429] * 2
    finally:
        other.close()
        h.close()
        for server in servers:
            server.stop()
