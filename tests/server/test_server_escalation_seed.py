"""The demo seed shows the escalation tier: its queues escalate to a sensitive
`senior-review` queue, and seeding again leaves an admin's own routing alone."""

from __future__ import annotations

from pathlib import Path

from server.db import Database
from server.queue_admin import QueueChange, list_queues, set_queue
from server.seed import seed_demo
from server.services.escalation import is_escalation_queue


def test_the_demo_queues_escalate_to_a_senior_queue(server_dirs: tuple[str, Path]) -> None:
    db_url, data_dir = server_dirs
    summary = seed_demo(db_url, data_dir, scale="small")
    assert summary.escalation_queue == "senior-review"
    db = Database(db_url)
    try:
        rows = {row.name: row for row in list_queues(db)}
        assert rows["senior-review"].sensitivity == 3
        assert {"approve", "remove"} <= set(rows["senior-review"].actions)
        assert {name: rows[name].escalation_queue for name in summary.queues} == {
            name: "senior-review" for name in summary.queues}
        assert rows["senior-review"].escalation_queue is None
        with db.session() as session:
            assert is_escalation_queue(session, "senior-review")
            assert not is_escalation_queue(session, "spam")
        set_queue(db, "hate-speech", QueueChange(escalation_queue="violent-imagery"))
        seed_demo(db_url, data_dir, scale="small")
        rows = {row.name: row for row in list_queues(db)}
        assert rows["hate-speech"].escalation_queue == "violent-imagery"
    finally:
        db.dispose()
