"""Benchmark: decisions survive SIGKILL at random moments while keys are pressed.

A review server on a temp SQLite file with one text queue; then `--kills` times: the
real review window (offscreen, its own process, background sync on) starts on the same
client data directory, a decision key is pressed every `--key-ms` ms, and the process is
SIGKILLed at a random moment 0-`--max-life` s after its window is up. At the end one
last client syncs what is left and the figures are printed: decisions the app accepted
(committed to its outbox), decisions that arrived on the server, decisions on the
server the app never recorded (duplicated), lost ones, and items decided twice. All
must match: 0 lost, 0 duplicated, 0 decided twice. Prints figures; asserts nothing.

    python bench/bench_soak.py [--kills 100] [--key-ms 40] [--max-life 2.5] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUEUE, REVIEWER = "soak", "soak"
TAXONOMY = {"actions": [{"id": "approve", "title": "Approve", "key": "1"},
                        {"id": "remove", "title": "Remove", "key": "2"}],
            "labels": []}


def child(data_dir: str, url: str, key_ms: int) -> None:
    """One life of the app: resume (or log in), open the review window, press 1."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from reviewer.workstation import Workstation
    from ui.review.window import ReviewWindow
    from ui.workers import Workers

    password = sys.stdin.readline().strip()
    app = QApplication([])
    workstation = Workstation.open(Path(data_dir))
    if workstation.resume() is None:
        workstation.login(url, REVIEWER, password)
    session = workstation.start_review(QUEUE)
    window = ReviewWindow(workstation, session, Workers(), workstation.sync_loop)
    window.show()
    print("ready", flush=True)

    def press() -> None:
        if window.state == "question":
            QTest.keyClick(window, Qt.Key.Key_1)

    timer = QTimer()
    timer.timeout.connect(press)
    timer.start(key_ms)
    app.exec()


def make_server(tmp: Path, items: int, password: str):  # noqa: ANN201 - EmbeddedServer
    from server.db import Database
    from server.embedded import EmbeddedServer
    from server.models import User
    from server.security import hash_password
    from server.services.items import add_item, ensure_queue

    (tmp / "server").mkdir()
    server = EmbeddedServer(f"sqlite:///{tmp / 'server.db'}", tmp / "server").start()
    db = Database(server.db_url)
    with db.writer() as session:
        session.add(User(username=REVIEWER, password_hash=hash_password(password),
                         roles=["reviewer"], teams=[]))
        ensure_queue(session, QUEUE, taxonomy=TAXONOMY, sensitivity=0)
        for n in range(items):
            add_item(session, queue=QUEUE, kind="text", category="soak", severity=0,
                     media=None, text=f"soak item {n}", item_id=f"soak-{n:05d}")
    db.dispose()
    return server


def one_life(tmp: Path, url: str, password: str, args: argparse.Namespace,
             rng: random.Random) -> bool:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", REVIEWER_ALLOW_FILE_KEYRING="1",
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(tmp / "xdg"), PYTHONPATH=str(ROOT))
    app = subprocess.Popen(
        [sys.executable, __file__, "--child", str(tmp / "client"), url, str(args.key_ms)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert app.stdin is not None and app.stdout is not None
        app.stdin.write(password + "\n")
        app.stdin.flush()
        ready = app.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, args.max_life))
        app.send_signal(signal.SIGKILL)
    finally:
        if app.poll() is None:
            app.kill()
        app.wait(30)
    return ready


def settle(tmp: Path, url: str, password: str) -> dict[str, str]:
    """One last client sends what is left; returns decision_id -> item_id it recorded."""
    os.environ.update(REVIEWER_ALLOW_FILE_KEYRING="1", XDG_DATA_HOME=str(tmp / "xdg"),
                      PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    from reviewer.workstation import Workstation

    workstation = Workstation.open(tmp / "client")
    try:
        if workstation.resume() is None:
            workstation.login(url, REVIEWER, password)
        engine = workstation.sync_engine()
        for _ in range(100):
            if workstation.store.outbox_count_pending() == 0:
                break
            engine.sync_once()
        entries = workstation.store.recent_decisions(REVIEWER, limit=1_000_000)
        return {str(e.decision.decision_id): e.decision.item_id for e in entries}
    finally:
        workstation.close()


def on_server(db_url: str) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from server.db import Database
    from server.models import DecisionRecord

    db = Database(db_url)
    try:
        with db.session() as session:
            return [(d, i) for d, i in session.execute(
                select(DecisionRecord.decision_id, DecisionRecord.item_id)
                .where(DecisionRecord.reviewer == REVIEWER))]
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--key-ms", type=int, default=40)
    parser.add_argument("--max-life", type=float, default=2.5)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    rng = random.Random(args.seed)
    password = secrets.token_urlsafe(16)  # fresh each run, never written down
    per_life = int(args.max_life * 1000 / args.key_ms) + 20
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        server = make_server(tmp, args.kills * per_life + 100, password)
        try:
            start = time.monotonic()
            ready = sum(one_life(tmp, server.url, password, args, rng)
                        for _ in range(args.kills))
            recorded = settle(tmp, server.url, password)
            arrived = on_server(server.db_url)
        finally:
            server.stop()
    ids = [d for d, _ in arrived]
    known = set(recorded)
    per_item = Counter(i for _, i in arrived)
    print(f"{args.kills} SIGKILLs ({ready} after the window was up) in "
          f"{time.monotonic() - start:.0f} s")
    print(f"accepted by the app: {len(recorded)}")
    print(f"arrived on the server: {len(known & set(ids))}")
    print(f"lost: {len(known - set(ids))}")
    print(f"duplicated: {len(ids) - len(set(ids)) + len(set(ids) - known)}")
    print(f"items decided twice: {sum(1 for n in per_item.values() if n > 1)}")


if __name__ == "__main__":
    main()
