"""The app leaves no child process behind, however it ends (a real subprocess, real signals)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ui_helpers import PASSWORDS

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _start_app(tmp_path: Path, server_url: str, *extra: str) -> tuple[subprocess.Popen, list[int]]:
    data_dir = tmp_path / "app"
    env = dict(os.environ, REVIEWER_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(tmp_path / "app-xdg"), REVIEWER_ALLOW_FILE_KEYRING="1",
               PYTHONPATH=str(ROOT))
    app = subprocess.Popen(
        [sys.executable, str(HERE / "app_lifetime_run.py"), str(data_dir), server_url,
         "spam", *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    app.stdin.write(PASSWORDS["demo"] + "\n")
    app.stdin.flush()
    line = app.stdout.readline().split()
    children = [int(pid) for pid in line]
    return app, children


def _all_gone(pids: list[int], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_quit_signal_ends_the_app_and_its_decoder(tmp_path, seeded_server, signum):
    app, children = _start_app(tmp_path, seeded_server.url)
    try:
        assert children, "the decoder child process should be running"
        app.send_signal(signum)
        out, _ = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0 and "exited 0" in out  # it ran its shutdown code
    assert _all_gone(children), [p for p in children if _alive(p)]


def test_ctrl_q_ends_the_app_and_its_decoder(tmp_path, seeded_server):
    app, children = _start_app(tmp_path, seeded_server.url, "ctrl-q")
    try:
        assert children
        out, _ = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0 and "exited 0" in out
    assert _all_gone(children), [p for p in children if _alive(p)]


def test_children_die_with_the_app_when_it_is_killed(tmp_path, seeded_server):
    """SIGKILL runs no code of ours: the decoder child must notice on its own."""
    app, children = _start_app(tmp_path, seeded_server.url)
    try:
        assert children
        app.send_signal(signal.SIGKILL)
        app.wait(20)
    finally:
        if app.poll() is None:
            app.kill()
    assert _all_gone(children), [p for p in children if _alive(p)]
