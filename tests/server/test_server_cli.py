"""`reviewer-server` end to end: init, user add (password on stdin), seed-demo, then
`serve` in a subprocess whose OpenAPI lists every route of the table.
"""

from __future__ import annotations

import io
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from server_harness import Harness, free_port
from test_server_roles import ROUTES

from server.cli import main
from server.embedded import EmbeddedServer
from server.media_gen import encode, synthetic_image

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str = "", location: tuple[str, Path]) -> str:
    db_url, data_dir = location
    done = subprocess.run([sys.executable, "-m", "server.cli", *args, "--db", db_url,
                           "--data-dir", str(data_dir)], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout

ALICE_PASSWORD = secrets.token_urlsafe(16)  # fresh each run, never written down


def test_cli_sets_up_and_serves(server_dirs: tuple[str, Path]) -> None:
    assert "schema ready" in cli("init", location=server_dirs)
    cli("user", "add", "alice", "--role", "reviewer", "--role", "qa_lead", "--team", "vendor-a",
        stdin=ALICE_PASSWORD + "\n", location=server_dirs)
    seeded = cli("seed-demo", "--scale", "small", "--print-passwords", location=server_dirs)
    demo_password = next(line.split(": ", 1)[1] for line in seeded.splitlines()
                         if line.startswith("user demo:"))
    port = free_port()
    db_url, data_dir = server_dirs
    server = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port),
                               "--db", db_url, "--data-dir", str(data_dir)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        openapi = _wait_for(f"{base}/openapi.json")
        documented = {(m.upper(), p.removeprefix("/api/v1")) for p, ops in openapi["paths"].items()
                      for m in ops}
        assert {(r.method, r.path) for r in ROUTES} <= documented
        for username, password in (("alice", ALICE_PASSWORD), ("demo", demo_password)):
            login = httpx.post(f"{base}/api/v1/auth/token",
                               json={"username": username, "password": password})
            assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        queues = httpx.get(f"{base}/api/v1/queues",
                           headers={"Authorization": f"Bearer {token}"}).json()
        # the escalation tier (senior-review) is not shown to a plain reviewer
        assert {q["name"] for q in queues["data"]} == {"violent-imagery", "hate-speech", "spam"}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(url: str) -> dict:
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.get(url).json()
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_user_add_refuses_an_empty_password(server_dirs: tuple[str, Path],
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db_url, data_dir = server_dirs
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    code = main(["user", "add", "bob", "--role", "admin", "--db", db_url,
                 "--data-dir", str(data_dir)])
    assert code == 2 and "password" in capsys.readouterr().err


def test_ingest_adds_files_to_a_new_queue(live_server: EmbeddedServer, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    picture, note = tmp_path / "a.png", tmp_path / "b.txt"
    picture.write_bytes(encode(synthetic_image(30, 20, 3), "PNG"))
    note.write_text("synthetic text item")
    code = main(["ingest", "inbox", str(picture), str(note), "--severity", "2",
                 "--category", "demo", "--db", live_server.db_url,
                 "--data-dir", str(live_server.data_dir)])
    assert code == 0
    out = capsys.readouterr().out.splitlines()
    assert len([line for line in out if line.startswith("added\t")]) == 2
    assert out[-1] == "2 added, 0 already present, 0 refused"
    h = Harness(live_server)
    items = h.lease(h.user(), "inbox")["items"]
    h.close()
    assert sorted(i["kind"] for i in items) == ["image", "text"]
    assert {i["severity"] for i in items} == {2}
