"""The real review window idle on an empty queue, through the fault proxy: a few lease
requests, a status bar that says why it waits, and F5 asking again at once."""

from __future__ import annotations

from typing import Any

from fault_proxy import FaultProxy
from net_helpers import lease_rows, reviewer_login
from PySide6.QtCore import Qt
from server_harness import Harness


def _window(qtbot: Any, workstation: Any, workers: Any, queue: str) -> Any:
    from ui.review.window import ReviewWindow

    session = workstation.start_review(queue)
    window = ReviewWindow(workstation, session, workers, workstation.sync_loop)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_an_idle_window_on_an_empty_queue_asks_a_few_times_and_says_why(
        qtbot: Any, net: Harness, proxy: FaultProxy, workstation: Any, workers: Any) -> None:
    net.queue("q", 0)
    reviewer_login(workstation, proxy.url, net)
    window = _window(qtbot, workstation, workers, "q")
    try:
        qtbot.waitUntil(lambda: proxy.count("/leases") >= 1, timeout=10000)
        qtbot.wait(6000)
        assert proxy.count("/leases") <= 4  # before: 10-20 a second
        assert lease_rows(net) == 0
        qtbot.waitUntil(lambda: window.status.waiting.text().startswith(
            "No items: checking again in"), timeout=3000)

        before = proxy.count("/leases")
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: proxy.count("/leases") == before + 1, timeout=5000)
    finally:
        window.close()
