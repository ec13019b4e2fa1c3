"""E escalates and S skips the item on screen; a skipped item goes back to the queue."""

from __future__ import annotations

from typing import Any

import httpx
from ui_helpers import PASSWORDS, decide_by_key, press, qa_decisions, sync_now, wait_for_question

QUEUE = "hate-speech"


def _pending(workstation: Any) -> int:
    return next(q.pending for q in workstation.queues() if q.name == QUEUE)


def _lease_one_as_demo(server: Any) -> list[str]:
    """The item ids of a fresh one-item lease taken by `demo` over HTTP (the oldest
    item available in the queue)."""
    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as client:
        reply = client.post("/auth/token",
                            json={"username": "demo", "password": PASSWORDS["demo"]})
        reply.raise_for_status()
        headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}
        reply = client.post(f"/queues/{QUEUE}/leases", json={"max_items": 1}, headers=headers)
        reply.raise_for_status()
    return [item["id"] for item in reply.json()["items"]]


def test_e_escalates_and_s_skips_and_the_skipped_item_returns_to_the_queue(
    qtbot: Any, open_review: Any, seeded_server: Any, workstation: Any
) -> None:
    window = open_review(QUEUE)
    pending_while_leased = _pending(workstation)

    escalated = decide_by_key(qtbot, window, "E")
    wait_for_question(qtbot, window)
    press(qtbot, window, next(c.key for c in window.table.labels()))  # a label, then skip
    skipped = decide_by_key(qtbot, window, "S")
    assert window.current_id not in (escalated, skipped)
    assert [e.decision.action for e in window.session.history(5)] == ["skip", "escalate"]
    assert skipped not in [c.item.id for c in window.session.items()]

    report = sync_now(workstation)
    assert report.accepted == 2 and not report.rejected
    on_server = {d.item_id: d for d in qa_decisions(seeded_server)}
    assert on_server[escalated].action == "escalate"
    assert on_server[skipped].action == "skip"
    assert on_server[skipped].labels == []  # a skip judges nothing
    # The escalated item is closed; the skipped one is back in the queue, first in line.
    assert _pending(workstation) == pending_while_leased + 1
    assert _lease_one_as_demo(seeded_server) == [skipped]
