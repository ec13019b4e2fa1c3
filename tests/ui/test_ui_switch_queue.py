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
    before = {q.name: q.pending for q in workstation.queues()}["spam"]  # the rest is leased
    decided, _ = decide_current(qtbot, first)

    qtbot.keyClick(first, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: entry.window is None and entry.picker.isVisible(), timeout=10000)
    assert not first.isVisible()
    assert flow.workspace is entry  # the app did not quit: the same workspace goes on
    after = {q.name: q.pending for q in workstation.queues()}["spam"]
    assert after > before  # the old lease's unstarted items went back to the queue
    qtbot.waitUntil(lambda: entry.picker.list.count() > 0, timeout=10000)
    _pick(qtbot, entry.picker, "hate-speech")
    qtbot.waitUntil(lambda: entry.window is not None, timeout=10000)
    second = entry.window
    qtbot.addWidget(second)
    assert second.session.queue == "hate-speech"
    assert second.first_run is None  # the list of keys is shown once per person
    kept = [e.decision.item_id for e in workstation.store.recent_decisions("demo", 10)]
    assert decided in kept  # the decision made in the first queue is kept (and was sent)
    second.close()


def test_the_end_of_a_queue_names_the_queues_that_have_work() -> None:
    queues = [SimpleNamespace(name="spam", title="Spam", pending=0),
              SimpleNamespace(name="hate", title="Hate speech", pending=3),
              SimpleNamespace(name="violent", title="Violent imagery", pending=12)]
    assert other_queues_text("spam", queues) == \
        "Queues with work: Violent imagery (12), Hate speech (3)"
    assert other_queues_text("hate", queues[:2]) == "No other queue has work right now."


def test_the_picker_shows_empty_queues_as_such_and_last(qtbot: Any, live_server: Any,
                                                          workstation: Any, workers: Any) -> None:
    import secrets

    from server.accounts import create_user
    from server.db import Database
    from server.services.items import add_item, ensure_queue
    from ui.review.queue_picker import QueuePicker

    db = Database(live_server.db_url, strict=True)
    with db.writer() as session:
        ensure_queue(session, "aaa-empty", title="Aaa (empty)")
        ensure_queue(session, "zzz-busy", title="Zzz (busy)")
        add_item(session, queue="zzz-busy", kind="text", category="spam", text="hello")
    db.dispose()
    password = secrets.token_urlsafe(16)
    create_user(live_server.db_url, "demo", password, ["reviewer"], ())
    workstation.login(live_server.url, "demo", password)
    picker = QueuePicker(workstation, workers)
    qtbot.addWidget(picker)
    qtbot.waitUntil(lambda: picker.list.count() == 2, timeout=10000)
    texts = [picker.list.item(i).text() for i in range(2)]
    assert texts[0].startswith("Zzz (busy)") and "1 pending" in texts[0]
    assert texts[1].startswith("Aaa (empty)") and "no items right now" in texts[1]
