"""A reviewer's decision survives the app being killed right after the decision key."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ui_helpers import PASSWORDS, qa_decisions

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def test_decision_key_then_sigkill_loses_nothing(tmp_path, seeded_server):
    from reviewer.workstation import Workstation

    data_dir = tmp_path / "killed-app"
    env = dict(os.environ, REVIEWER_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(tmp_path / "app-xdg"), REVIEWER_ALLOW_FILE_KEYRING="1",
               PYTHONPATH=str(ROOT))
    app = subprocess.Popen(
        [sys.executable, str(HERE / "sigkill_review_window.py"), str(data_dir),
         seeded_server.url, "spam"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        app.stdin.write(PASSWORDS["demo"] + "\n")
        app.stdin.flush()
        decided_item = app.stdout.readline().strip()
        app.send_signal(signal.SIGKILL)
    finally:
        app.wait(20)
    assert app.returncode == -signal.SIGKILL and decided_item

    restarted = Workstation.open(data_dir)
    try:
        pending = restarted.store.outbox_pending()
        assert [d.item_id for d in pending] == [decided_item]
        restarted.login(seeded_server.url, "demo", PASSWORDS["demo"])
        assert restarted.sync_engine().sync_once().accepted == 1
    finally:
        restarted.close()
    on_server = [d for d in qa_decisions(seeded_server) if d.item_id == decided_item]
    assert len(on_server) == 1 and on_server[0].decision_id == pending[0].decision_id
