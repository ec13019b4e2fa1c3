"""Starting while the server is away: the cached leased items are offered and decided
(expired ones too, arriving `late`), and everything reaches the server once it is back,
without a restart."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fault_proxy import FaultProxy
from net_helpers import reviewer_login
from server_harness import Harness

from reviewer.errors import ServerUnavailable


def _lease_then_quit_without_release(workstation: Any, proxy: FaultProxy, net: Harness
                                     ) -> None:
    """A first run that leases 20 items and then dies (nothing released)."""
    net.queue("q", 30)
    reviewer_login(workstation, proxy.url, net)
    session = workstation.start_review("q", background_sync=False)
    assert session.fill(min_ready=10) == 20
    workstation.close()


@pytest.mark.server_settings(lease_ttl=3)
def test_start_offline_decides_cached_items_and_syncs_them_when_back(
        net: Harness, proxy: FaultProxy, workstation: Any) -> None:
    from reviewer.workstation import Workstation

    _lease_then_quit_without_release(workstation, proxy, net)
    proxy.mode = "drop"  # the server is unreachable from now on
    time.sleep(3.5)  # and the lease runs out meanwhile

    again = Workstation.open()
    try:
        assert again.resume() is not None
        with pytest.raises(ServerUnavailable):
            again.queues()
        assert [(q.name, q.pending) for q in again.cached_queues()] == [("q", 20)]
        session = again.start_review("q", background_sync=False)
        assert len(session.items()) == 20
        assert session.status().lease_seconds_left == 0  # shown as expired
        action = next(a.id for a in session.taxonomy.actions if a.key == "1")
        for _ in range(3):
            session.decide(action)
        assert again.sync_engine().sync_once().online is False

        proxy.mode = "pass"  # the server is back
        report = again.sync_engine().sync_once()
        assert (report.online, report.late, report.accepted) == (True, 3, 0)
        assert again.store.outbox_count_pending(username="rev") == 0
    finally:
        again.close()


def test_the_queue_picker_offers_cached_queues_offline_and_refreshes_when_back(
        qtbot: Any, net: Harness, proxy: FaultProxy, workstation: Any, workers: Any) -> None:
    from reviewer.workstation import Workstation
    from ui.review.queue_picker import QUEUE_ROLE, QueuePicker

    _lease_then_quit_without_release(workstation, proxy, net)
    net.queue("other", 5)
    proxy.mode = "drop"
    again = Workstation.open()
    try:
        again.resume()
        picker = QueuePicker(again, workers)
        qtbot.addWidget(picker)
        qtbot.waitUntil(lambda: picker.offline and picker.list.count() == 1, timeout=10000)
        assert picker.list.item(0).data(QUEUE_ROLE) == "q"
        assert "cannot be reached" in picker.info.text()

        proxy.mode = "pass"
        qtbot.waitUntil(lambda: picker.list.count() == 2, timeout=15000)  # the server's list
        assert not picker.offline and picker.info.text() == ""
        picker.reject()
    finally:
        again.close()


def test_the_review_window_works_offline_and_sends_everything_when_back(
        qtbot: Any, net: Harness, proxy: FaultProxy, workstation: Any, workers: Any) -> None:
    from PySide6.QtCore import Qt

    from reviewer.workstation import Workstation
    from ui.review.window import ReviewWindow

    _lease_then_quit_without_release(workstation, proxy, net)
    proxy.mode = "drop"
    again = Workstation.open()
    try:
        again.resume()
        session = again.start_review("q")  # offline: the cached policy and items
        window = ReviewWindow(again, session, workers, again.sync_loop)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.state == "question", timeout=10000)
        for _ in range(3):
            qtbot.waitUntil(lambda: window.state == "question", timeout=5000)
            qtbot.keyClick(window, Qt.Key.Key_1)
        qtbot.waitUntil(lambda: "retrying in" in window.status.waiting.text(), timeout=10000)
        assert again.store.outbox_count_pending(username="rev") == 3

        proxy.mode = "pass"  # back: F5 instead of waiting out the backoff
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: again.store.outbox_count_pending(username="rev") == 0,
                        timeout=15000)
        window.close()
    finally:
        again.close()
