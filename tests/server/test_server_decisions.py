"""Decisions on SQLite and PostgreSQL: stored once, superseded, rejected with a reason."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from server_harness import Harness, decision

from server.db import Database


def test_a_decision_posted_twice_is_stored_once(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 1)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q")
    once = decision(lease["items"][0]["id"], lease["lease_id"])
    assert h.post_decisions(alice, once)[0]["status"] == "accepted"
    assert h.post_decisions(alice, once, once)[0]["status"] == "duplicate"
    stored = h.http.get("/qa/decisions", headers=qa).json()
    assert stored["count"] == 1
    assert [e["type"] for e in stored["data"][0]["events"]] == ["shown", "decided"]


def test_a_superseding_decision_keeps_both_and_the_newer_counts(backend_harness: Harness
                                                               ) -> None:
    h = backend_harness
    h.queue("q", 1)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q")
    item = lease["items"][0]["id"]
    first = decision(item, lease["lease_id"], "approve")
    second = decision(item, lease["lease_id"], "remove", supersedes=first["decision_id"])
    statuses = [r["status"] for r in h.post_decisions(alice, first, second)]
    assert statuses == ["accepted", "accepted"]
    by_id = {d["decision_id"]: d for d in h.http.get("/qa/decisions", headers=qa).json()["data"]}
    assert by_id[first["decision_id"]]["superseded_by"] == second["decision_id"]
    assert by_id[second["decision_id"]]["supersedes"] == first["decision_id"]
    assert by_id[second["decision_id"]]["superseded_by"] is None


def test_a_decision_already_superseded_cannot_be_superseded_again(backend_harness: Harness
                                                                  ) -> None:
    h = backend_harness
    h.queue("q", 1)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q")
    item = lease["items"][0]["id"]
    first = decision(item, lease["lease_id"], "approve")
    second = decision(item, lease["lease_id"], "remove", supersedes=first["decision_id"])
    rival = decision(item, lease["lease_id"], "approve", supersedes=first["decision_id"])
    results = h.post_decisions(alice, first, second, rival)
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]
    assert "already replaced" in results[2]["reason"]
    counting = [d for d in h.http.get("/qa/decisions", headers=qa).json()["data"]
                if d["superseded_by"] is None]
    assert [d["decision_id"] for d in counting] == [second["decision_id"]]


@pytest.mark.parametrize("case, reason", [
    ("never_leased", "never leased to you"),
    ("unknown_action", "not in the taxonomy"),
    ("unknown_label", "labels not in the taxonomy"),
    ("unknown_item", "unknown item"),
    ("foreign_supersedes", "supersedes names no earlier decision"),
])
def test_rejected_decisions_say_why(backend_harness: Harness, case: str, reason: str) -> None:
    h = backend_harness
    h.queue("q", 2)
    alice, bob = h.user("alice"), h.user("bob")
    mine, theirs = h.lease(alice, "q", 1), h.lease(bob, "q", 1)
    item, lease = mine["items"][0]["id"], mine["lease_id"]
    bad = {
        "never_leased": decision(theirs["items"][0]["id"], lease),
        "unknown_action": decision(item, lease, "delete_everything"),
        "unknown_label": decision(item, lease, labels=["made_up"]),
        "unknown_item": decision("no-such-item", lease),
        "foreign_supersedes": decision(item, lease, supersedes=str(uuid.uuid4())),
    }[case]
    result = h.post_decisions(alice, bad)[0]
    assert result["status"] == "rejected"
    assert reason in result["reason"]
    # a rejected decision is not stored: posting it again is rejected again, not duplicate
    assert h.post_decisions(alice, bad)[0]["status"] == "rejected"


def test_another_reviewers_lease_id_is_rejected(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 1)
    alice, bob = h.user("alice"), h.user("bob")
    lease = h.lease(alice, "q")
    stolen = decision(lease["items"][0]["id"], lease["lease_id"])
    assert h.post_decisions(bob, stolen)[0]["status"] == "rejected"
    assert h.post_decisions(alice, stolen)[0]["status"] == "accepted"


def test_sqlite_writer_holds_the_write_lock_from_the_start(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lock.db'}")
    db.create_schema()
    with db.writer() as session:
        session.connection()  # BEGIN IMMEDIATE has run: nobody else may write now
        other = sqlite3.connect(tmp_path / "lock.db", timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    db.dispose()
