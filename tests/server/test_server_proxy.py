"""Behind a reverse proxy on another machine, `serve --forwarded-allow-ips` names the
proxies whose `X-Forwarded-For` is believed, so throttling and the audit log see each
reviewer's address rather than the proxy's; a header from anyone else is ignored. Each
request is logged to standard output only with `--access-log`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from server_harness import free_port
from sqlalchemy import select

from server.db import Database
from server.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
REVIEWER = "203.0.113.7"  # a documentation address, as if forwarded by the proxy


def _login_source(server_dirs: tuple[str, Path], *options: str) -> tuple[str, str]:
    """Serve with `options`, fail one login with a forwarded address, return the address
    the audit log recorded for it and what the server printed."""
    db_url, data_dir = server_dirs
    port = free_port()
    output = data_dir / f"serve-{port}.log"
    with output.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--db", db_url,
             "--data-dir", str(data_dir), *options],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                reply = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/token",
                                   json={"username": "nobody", "password": "wrong password"},
                                   headers={"X-Forwarded-For": REVIEWER})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        assert reply.status_code == 401, reply.text
    finally:
        server.terminate()
        server.wait(timeout=20)
    db = Database(db_url)
    try:
        with db.session() as session:
            return session.scalars(select(AuditEvent.source)
                                   .where(AuditEvent.action == "login")
                                   .order_by(AuditEvent.id.desc())).first() or "", (
                output.read_text(errors="replace"))
    finally:
        db.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])  # about HTTP headers, not the database
def test_only_the_named_proxies_forwarded_address_is_believed(
        server_dirs: tuple[str, Path]) -> None:
    source, printed = _login_source(server_dirs, "--forwarded-allow-ips",
                                    "10.0.0.5,127.0.0.1", "--access-log")
    assert source == REVIEWER
    assert f'{REVIEWER}:0 - "POST /api/v1/auth/token HTTP/1.1" 401' in printed
    source, printed = _login_source(server_dirs, "--forwarded-allow-ips", "10.9.9.9")
    assert source == "127.0.0.1"
    assert "Uvicorn running" in printed  # the server's own lines, without the access log
    assert "/api/v1/auth/token" not in printed
