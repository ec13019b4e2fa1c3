"""The whole reviewer path through the real dialogs and window, against a live server."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from ui_helpers import PASSWORDS, decide_current, qa_decisions, wait_for_question


def test_login_pick_queue_and_decide_twenty_items_reach_the_server(
    qtbot: Any, seeded_server: Any, workstation: Any, workers: Any
) -> None:
    from ui.app import AppFlow

    flow = AppFlow(workstation, workers)
    flow.start()
    qtbot.waitUntil(lambda: flow.login is not None and flow.login.isVisible(), timeout=10000)
    login = flow.login
    qtbot.addWidget(login)
    qtbot.keyClicks(login.server, seeded_server.url)
    qtbot.keyClicks(login.username, "demo")
    qtbot.keyClicks(login.password, PASSWORDS["demo"])
    qtbot.keyClick(login.password, Qt.Key.Key_Return)

    # A reviewer-only account lands in the review workspace, at its queue picker.
    qtbot.waitUntil(lambda: getattr(flow.workspace, "picker", None) is not None
                    and flow.workspace.picker.list.count() > 0, timeout=10000)
    assert flow.workspace_id == "review"
    picker = flow.workspace.picker
    qtbot.addWidget(picker)
    busiest = max(workstation.queues(), key=lambda q: q.pending).name
    rows = [picker.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(picker.list.count())]
    target = rows.index(busiest)
    assert picker.list.currentRow() == 0  # first selected when it opens
    for _ in range(target):
        qtbot.keyClick(picker.list, Qt.Key.Key_Down)
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    window = flow.window
    qtbot.addWidget(window)
    assert window.session.queue == busiest
    assert "— Review" in window.windowTitle()
    # The first time, the keys are listed over the page; the first key only dismisses it.
    qtbot.waitUntil(lambda: window.first_run is not None, timeout=5000)
    overlay = window.first_run
    assert overlay.isVisible() and ("Space", "Reveal while held") in overlay.rows
    item_before = window.current_id
    qtbot.keyClick(overlay, Qt.Key.Key_1)
    assert window.first_run is None and not overlay.isVisible()
    assert window.current_id == item_before  # nothing was decided by it
    wait_for_question(qtbot, window)

    decided = dict(decide_current(qtbot, window) for _ in range(20))
    assert len(decided) == 20

    qtbot.waitUntil(lambda: window.session.status().pending_sync == 0, timeout=20000)
    on_server = qa_decisions(seeded_server)
    assert {d.item_id: d.action for d in on_server} == decided
    for decision in on_server:
        types = [e.type for e in decision.events]
        assert types[0] == "shown" and types[-1] == "decided"
        assert decision.events[-1].action == decision.action
    # The sync report reaches the status bar through the SyncLoop -> Qt signal bridge.
    qtbot.waitUntil(lambda: "Waiting to sync: 0" in window.status.pending.text(), timeout=5000)
    window.close()
    workstation.stop_sync()
