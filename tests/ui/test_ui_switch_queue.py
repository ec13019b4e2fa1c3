"""Ctrl+O goes back to the queue picker and opens another queue; nothing decided is lost."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from ui_helpers import PASSWORDS, decide_current, wait_for_question

from ui.review.window import other_queues_text


def _pick(qtbot: Any, picker: Any, queue: str) -> None:
    rows = [picker.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(picker.list.count())]
    picker.list.setCurrentRow(rows.index(queue))
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)


def test_ctrl_o_switches_queue_and_keeps_the_outbox(
    qtbot: Any, seeded_server: Any, workstation: Any, workers: Any
) -> None:
    from ui.app import AppFlow

    workstation.login(seeded_server.url, "demo", PASSWORDS["demo"])
    flow = AppFlow(workstation, workers)
    flow.open_workspace()
    entry = flow.workspace
    qtbot.waitUntil(lambda: entry.picker is not None and entry.picker.list.count() > 0,
                    timeout=10000)
    _pick(qtbot, entry.picker, "spam")
    qtbot.waitUntil(lambda: entry.window is not None, timeout=10000)
    first = entry.window
    qtbot.addWidget(first)
    wait_for_question(qtbot, first)
    if first.first_run is not None:  # the keys, listed the first time
        first.first_run.dismiss()
    decided, _ = decide_current(qtbot, first)

    qtbot.keyClick(first, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: entry.window is None and entry.picker.isVisible(), timeout=10000)
    assert not first.isVisible()
    assert flow.workspace is entry  # the app did not quit: the same workspace goes on
    qtbot.waitUntil(lambda: entry.picker.list.count() > 0, timeout=10000)
    _pick(qtbot, entry.picker, "hate-speech")
    qtbot.waitUntil(lambda: entry.window is not None, timeout=10000)
    second = entry.window
    qtbot.addWidget(second)
    assert second.session.queue == "hate-speech"
    assert second.first_run is None  # the list of keys is shown once per person
    pending = [d.item_id for d in workstation.store.outbox_pending(username="demo")]
    assert decided in pending  # the decision made in the first queue waits to sync
    second.close()


def test_the_end_of_a_queue_names_the_queues_that_have_work() -> None:
    queues = [SimpleNamespace(name="spam", title="Spam", pending=0),
              SimpleNamespace(name="hate", title="Hate speech", pending=3),
              SimpleNamespace(name="violent", title="Violent imagery", pending=12)]
    assert other_queues_text("spam", queues) == \
        "Queues with work: Violent imagery (12), Hate speech (3)"
    assert other_queues_text("hate", queues[:2]) == "No other queue has work right now."
