"""Fixtures for the Qt tests: a seeded live server, a real Workstation, a review window.

Everything is real: the embedded server on a free port, the client's SQLite store and
vault in the test's REVIEWER_DATA_DIR, the keyrings.alt file backend (root conftest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ui_helpers import PASSWORDS, biggest_queue, wait_for_question


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


@pytest.fixture
def open_review(
    qtbot: Any, seeded_server: Any, workstation: Any, workers: Any
) -> Iterator[Callable]:
    """Log in as `demo` and open a ReviewWindow on `queue` (default: the biggest one)."""
    from ui.review.window import ReviewWindow

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


