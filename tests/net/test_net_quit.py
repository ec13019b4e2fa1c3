"""Quitting hands leased items back: decisions first, then `DELETE /leases/{id}`;
bounded in time when the server does not answer; and through the real app on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from fault_proxy import FaultProxy
from net_helpers import free_items, reviewer_login
from server_harness import PASSWORD, Harness

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def test_quit_sends_decisions_then_releases_the_rest(net: Harness, workstation: Any) -> None:
    net.queue("q", 30)
    reviewer_login(workstation, net.server.url, net)
    session = workstation.start_review("q", background_sync=False)
    session.fill(min_ready=10)
    assert free_items(net, "q") == 10
    action = next(a.id for a in session.taxonomy.actions if a.key == "1")
    session.decide(action)
    session.decide(action)

    released = workstation.release_leases()

    assert len(released) == 1
    assert free_items(net, "q") == 28  # 18 undecided back, the 2 decided stay decided
    assert workstation.store.outbox_count_pending(username="rev") == 0
    assert workstation.store.open_leases(None, "rev") == []


def test_quit_does_not_wait_on_a_server_that_never_answers(net: Harness, proxy: FaultProxy,
                                                           workstation: Any) -> None:
    net.queue("q", 30)
    reviewer_login(workstation, proxy.url, net)
    session = workstation.start_review("q", background_sync=False)
    session.fill(min_ready=10)
    proxy.mode = "blackhole"

    assert workstation.release_leases(timeout=1.0) == []  # returns: the quit goes on
    assert len(workstation.store.open_leases(None, "rev")) == 1  # kept for next time
    assert free_items(net, "q") == 10


def _run_app(tmp_path: Path, url: str, *extra: str) -> subprocess.Popen:
    data_dir = tmp_path / "app"
    env = dict(os.environ, REVIEWER_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(tmp_path / "app-xdg"), REVIEWER_ALLOW_FILE_KEYRING="1",
               PYTHONPATH=str(ROOT))
    app = subprocess.Popen(
        [sys.executable, str(HERE / "app_quit_run.py"), str(data_dir), url, "q", *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert app.stdin is not None and app.stdout is not None
    app.stdin.write(PASSWORD + "\n")
    app.stdin.flush()
    assert app.stdout.readline().strip() == "reviewing"
    return app


def test_sigterm_and_ctrl_q_release_the_apps_leases(tmp_path: Path, net: Harness) -> None:
    net.queue("q", 60)
    net.user("rev")
    for how in ("sigterm", "ctrl-q"):
        app = _run_app(tmp_path / how, net.server.url, how)
        try:
            assert free_items(net, "q") < 60  # the app holds a lease
            if how == "sigterm":
                app.send_signal(signal.SIGTERM)
            out, _ = app.communicate(timeout=60)
        finally:
            if app.poll() is None:
                app.kill()
        assert "exited 0" in out
        assert free_items(net, "q") == 60, how
