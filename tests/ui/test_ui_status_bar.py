"""The status bar tells the truth: online or not, decisions waiting, lease time, items left.

The window in these tests has no sync loop, so each test runs a sync round itself and
hands its report to the window the way the SyncLoop does (`SyncBridge.report`). The
window's one-second status clock is stopped, so what the status bar shows comes from
the report, not from a later tick that would hide a missed update.
"""

from __future__ import annotations

import re
from typing import Any

from ui_helpers import press, qa_decisions, sync_now, wait_for_question


def _decide_by_key(qtbot: Any, window: Any, key: str = "1") -> str:
    wait_for_question(qtbot, window)
    item_id = window.current_id
    press(qtbot, window, key)
    qtbot.waitUntil(lambda: window.current_id != item_id, timeout=5000)
    return item_id


def _sync_and_report(workstation: Any, window: Any) -> Any:
    """One sync round, then its report to the window as the SyncLoop delivers it."""
    report = sync_now(workstation)
    window.sync.report.emit(report)
    return report


def _shows(qtbot: Any, window: Any, online: str, waiting: int) -> None:
    status = window.status
    qtbot.waitUntil(lambda: status.online.text() == f"● {online}"
                    and status.pending.text() == f"Waiting to sync: {waiting}", timeout=5000)


def _lease_seconds(window: Any) -> int:
    found = re.fullmatch(r"Lease: (\d+):(\d\d) left", window.status.lease.text())
    assert found, window.status.lease.text()
    return int(found[1]) * 60 + int(found[2])


def _items_left(window: Any) -> int:
    found = re.fullmatch(r"Items left: (\d+)", window.status.items_left.text())
    assert found, window.status.items_left.text()
    return int(found[1])


def test_status_bar_says_offline_with_the_waiting_decisions_then_online_with_none(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review("hate-speech")
    window._clock.stop()
    window.refresh_status()
    _shows(qtbot, window, "Online", 0)
    qtbot.waitUntil(lambda: _items_left(window) == len(window.session.items()), timeout=5000)
    items_before = _items_left(window)
    assert items_before >= 10  # a fresh batch, not yet decided
    assert 60 < _lease_seconds(window) <= 15 * 60  # the server's lease span

    seeded_server.stop()
    decided = [_decide_by_key(qtbot, window) for _ in range(3)]
    assert not _sync_and_report(workstation, window).online
    _shows(qtbot, window, "Offline", 3)
    assert _items_left(window) == items_before - 3
    assert 60 < _lease_seconds(window) <= 15 * 60  # still counted offline, from the cache

    seeded_server.restart()
    report = _sync_and_report(workstation, window)
    assert report.online and report.accepted == 3
    _shows(qtbot, window, "Online", 0)
    assert _items_left(window) == items_before - 3

    on_server = qa_decisions(seeded_server)
    assert sorted(d.item_id for d in on_server) == sorted(decided)  # each exactly once
    assert len({d.decision_id for d in on_server}) == 3
    again = sync_now(workstation)  # nothing left to send: no repeat reaches the server
    assert again.sent == 0
    assert len(qa_decisions(seeded_server)) == 3


def test_a_sync_report_during_a_status_read_still_reaches_the_status_bar(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any, workers: Any
) -> None:
    window = open_review("hate-speech")
    window._clock.stop()
    seeded_server.stop()
    _decide_by_key(qtbot, window)
    _shows(qtbot, window, "Online", 1)  # nothing has tried the server yet

    window.refresh_status()
    workers.store.submit(lambda: None).result()  # that read is done, its answer not shown
    _sync_and_report(workstation, window)  # the server is gone: the report says offline
    _shows(qtbot, window, "Offline", 1)
