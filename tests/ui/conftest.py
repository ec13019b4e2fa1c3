"""Fixtures for the Qt tests: a seeded live server, a real Workstation, a review window.

Everything is real: the embedded server on a free port, the client's SQLite store and
vault in the test's REVIEWER_DATA_DIR, the keyrings.alt file backend (root conftest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

PASSWORDS = {
    "demo": "demo-password-1",
    "qa": "qa-password-1",
    "wellness": "wellness-password-1",
    "admin": "admin-password-1",
}


@pytest.fixture
def seeded_server(live_server: Any) -> Any:
    from server.seed import seed_demo

    seed_demo(live_server.db_url, live_server.data_dir, passwords=PASSWORDS, scale="small")
    return live_server


@pytest.fixture
def workstation(isolated_keyring: Any) -> Iterator[Any]:
    from reviewer.workstation import Workstation

    ws = Workstation.open()
    yield ws
    ws.close()


@pytest.fixture
def workers(qapp: Any) -> Iterator[Any]:
    from ui.workers import Workers

    pool = Workers()
    yield pool
    pool.shutdown()


def biggest_queue(workstation: Any) -> str:
    return max(workstation.queues(), key=lambda q: q.pending).name


def sync_now(workstation: Any) -> Any:
    """One sync round on the test's thread (the background loop is off in these tests)."""
    return workstation.sync_engine().sync_once()


@pytest.fixture
def open_review(
    qtbot: Any, seeded_server: Any, workstation: Any, workers: Any
) -> Iterator[Callable]:
    """Log in as `demo` and open a ReviewWindow on `queue` (default: the biggest one)."""
    from ui.review_window import ReviewWindow

    windows: list[Any] = []

    def make(queue: str | None = None) -> Any:
        workstation.login(seeded_server.url, "demo", PASSWORDS["demo"])
        session = workstation.start_review(queue or biggest_queue(workstation),
                                           background_sync=False)
        window = ReviewWindow(workstation, session, workers, sync_loop=None)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        wait_for_question(qtbot, window)
        windows.append(window)
        return window

    yield make
    for window in windows:  # before the workers shut down: no late timer finds them gone
        window.close()


def wait_for_question(qtbot: Any, window: Any, timeout: int = 15000) -> None:
    """Wait until the window shows an item and takes decision keys."""
    qtbot.waitUntil(lambda: window.state == "question", timeout=timeout)


def qa_decisions(server: Any) -> list[Any]:
    """Every decision the server holds, read as the QA lead over HTTP."""
    from reviewer.protocol import QADecisions

    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as client:
        reply = client.post("/auth/token", json={"username": "qa", "password": PASSWORDS["qa"]})
        reply.raise_for_status()
        token = reply.json()["access_token"]
        reply = client.get(
            "/qa/decisions", params={"limit": 1000},
            headers={"Authorization": f"Bearer {token}"},
        )
        reply.raise_for_status()
    return QADecisions.model_validate(reply.json()).data


def first_key_action(window: Any) -> tuple[str, str]:
    """The (key, action) of the queue's decision bound to key 1."""
    command = next(c for c in window.table.decisions() if c.key == "1")
    return command.key, command.decides


def press(qtbot: Any, window: Any, key: str) -> None:
    """Click a key written as in the shortcut table ("1", "E", "Ctrl+Z", "Space")."""
    from PySide6.QtGui import QKeySequence

    combination = QKeySequence(key)[0]
    qtbot.keyClick(window, combination.key(), combination.keyboardModifiers())


def decide_current(qtbot: Any, window: Any, key: str = "1") -> tuple[str, str]:
    """Decide the shown item by key (E for broken items); returns (item_id, action)."""
    wait_for_question(qtbot, window)
    item_id = window.current_id
    if window.broken:
        key = "E"
    action = next(c.decides for c in window.table.decisions() if c.key == key)
    press(qtbot, window, key)
    qtbot.waitUntil(lambda: window.current_id != item_id or window.state == "loading",
                    timeout=5000)
    return item_id, action
