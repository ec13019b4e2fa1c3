"""Real processes: SIGKILL after a decision, `reviewer login`, `reviewer demo --no-gui`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from keyrings.alt.file import PlaintextKeyring
from reviewer_helpers import PASSWORDS, login_demo, server_decisions

from reviewer.secrets import SecretStore
from reviewer.workstation import Workstation

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _env(tmp_path: Path, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        REVIEWER_DATA_DIR=str(data_dir),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(tmp_path / "sub-xdg"),
        REVIEWER_ALLOW_FILE_KEYRING="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def _subprocess_keyring(tmp_path: Path) -> SecretStore:
    """The keyring file the subprocess used (PlaintextKeyring under XDG_DATA_HOME)."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "sub-xdg" / "python_keyring" / "keyring_pass.cfg")
    return SecretStore(backend, secure=True)


def _reviewer(args: list[str], env: dict[str, str], stdin: str = "", timeout: float = 60):
    return subprocess.run([sys.executable, "-m", "reviewer.cli", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)


def test_decision_survives_sigkill(tmp_path, seeded_server):
    data_dir = tmp_path / "killed-client"
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "sigkill_decider.py"), str(data_dir), seeded_server.url,
         "demo", "spam"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env=_env(tmp_path, data_dir), cwd=ROOT)
    try:
        proc.stdin.write(PASSWORDS["demo"] + "\n")
        proc.stdin.flush()
        decision_id = proc.stdout.readline().strip()
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL and decision_id

    workstation = Workstation.open(data_dir)
    try:
        pending = workstation.store.outbox_pending()
        assert [str(d.decision_id) for d in pending] == [decision_id]
        login_demo(workstation, seeded_server)
        session = workstation.start_review("spam", background_sync=False)
        assert pending[0].item_id not in {c.item.id for c in session.items()}
        assert workstation.sync_engine().sync_once().accepted == 1
    finally:
        workstation.close()
    assert decision_id in server_decisions(seeded_server)


def test_cli_login_logout(tmp_path, seeded_server):
    data_dir = tmp_path / "cli-client"
    env = _env(tmp_path, data_dir)
    done = _reviewer(["login", "--server", seeded_server.url, "--username", "demo",
                      "--password-stdin"], env, PASSWORDS["demo"] + "\n")
    assert done.returncode == 0, done.stderr
    assert "Logged in" in done.stdout and PASSWORDS["demo"] not in done.stdout + done.stderr

    secrets = _subprocess_keyring(tmp_path)
    token = secrets.get_token(seeded_server.url, "demo")
    assert token
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert token.encode() not in data and PASSWORDS["demo"].encode() not in data
    resumed = Workstation.open(data_dir, secrets)
    try:
        assert resumed.resume().username == "demo"
    finally:
        resumed.close()

    done = _reviewer(["logout"], env)
    assert done.returncode == 0, done.stderr
    assert _subprocess_keyring(tmp_path).get_token(seeded_server.url, "demo") is None


def test_cli_errors_are_sentences(tmp_path, seeded_server):
    env = _env(tmp_path, tmp_path / "cli-client")
    wrong = _reviewer(["login", "--server", seeded_server.url, "--username", "demo",
                       "--password-stdin"], env, "wrong-password\n")
    assert wrong.returncode == 1
    assert "username or password is not correct" in wrong.stderr
    seeded_server.stop()
    down = _reviewer(["login", "--server", seeded_server.url, "--username", "demo",
                      "--password-stdin"], env, PASSWORDS["demo"] + "\n")
    assert down.returncode == 1 and "cannot be reached" in down.stderr
    for done in (wrong, down):
        assert "Traceback" not in done.stderr


def test_demo_no_gui_seeds_once(tmp_path):
    data_dir = tmp_path / "demo-data"
    env = _env(tmp_path, data_dir)
    args = ["demo", "--no-gui", "--scale", "small"]
    first = _reviewer(args, env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Demo server: http://127.0.0.1:" in first.stdout
    for queue in ("hate-speech", "violent-imagery", "spam"):
        assert queue in first.stdout
    marker = data_dir / "demo-server" / "seeded"
    assert marker.exists()
    seeded_at = marker.stat().st_mtime_ns
    second = _reviewer(args, env, timeout=120)  # fresh password, no second seeding
    assert second.returncode == 0, second.stderr
    assert marker.stat().st_mtime_ns == seeded_at
