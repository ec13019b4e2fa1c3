"""Exposure the report can trust: only for items the caller holds or held, within the
lease window; QA leads for decided items; receipt time stored; breaks once each."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from server_harness import Harness, decision
from sqlalchemy import select

from server.models import BreakRecord, ExposureRecord, Lease


def _entry(item: str, at: datetime | None = None, ms: int = 1000) -> dict:
    return {"entry_id": str(uuid.uuid4()), "item_id": item, "category": "claimed",
            "severity": 3, "mode": "hold",
            "started_at": (at or datetime.now(UTC)).isoformat(), "duration_ms": ms}


def _post(h: Harness, headers: dict[str, str], *entries: dict) -> dict:
    reply = h.http.post("/exposure", json={"entries": list(entries)}, headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_exposure_for_an_item_not_leased_to_the_caller_is_rejected(harness: Harness) -> None:
    h = harness
    h.queue("q", 4)
    alice, bob = h.user("alice"), h.user("bob")
    mine = h.lease(alice, "q", 2)["items"]
    theirs = h.lease(bob, "q", 2)["items"]
    now = datetime.now(UTC)
    result = _post(h, alice,
                   _entry(mine[0]["id"]),  # held now: accepted
                   _entry(mine[1]["id"], now - timedelta(minutes=4)),  # within the slack
                   _entry(theirs[0]["id"]),  # bob's item
                   _entry("q-999"),  # no such item
                   _entry(mine[0]["id"], now - timedelta(hours=2)),  # before the lease
                   _entry(mine[0]["id"], now + timedelta(hours=1)))  # in the future
    assert result == {"accepted": 2, "duplicate": 0, "rejected": 4}
    with h.db.session() as session:
        stored = session.scalars(select(ExposureRecord)).all()
    assert sorted(r.item_id for r in stored) == sorted(i["id"] for i in mine)
    assert {r.reviewer for r in stored} == {"alice"}
    for record in stored:  # the item's category and severity, and the receipt time
        item = next(i for i in mine if i["id"] == record.item_id)
        assert (record.category, record.severity) == (item["category"], item["severity"])
        assert record.received_at is not None
        assert abs(record.received_at - datetime.now(UTC)) < timedelta(minutes=1)
    report = h.http.get("/wellness/report", headers=h.user("w", "wellness")).json()["rows"]
    assert [(r["reviewer"], r["reveals"]) for r in report] == [("alice", 2)]


def test_a_released_lease_closes_the_window_but_a_late_decision_keeps_it(
        harness: Harness) -> None:
    h = harness
    h.queue("q", 2)
    alice = h.user("alice")
    lease = h.lease(alice, "q", 2)
    decided, released = lease["items"][0]["id"], lease["items"][1]["id"]
    h.post_decisions(alice, decision(decided, lease["lease_id"]))
    assert h.http.delete(f"/leases/{lease['lease_id']}", headers=alice).status_code == 200
    now = datetime.now(UTC)
    with h.db.writer() as session:  # the lease began two hours ago and ended one hour ago
        held = session.get(Lease, lease["lease_id"])
        assert held is not None
        held.created_at, held.released_at = now - timedelta(hours=2), now - timedelta(hours=1)
    result = _post(h, alice, _entry(decided, now - timedelta(minutes=1)),  # decided since
                   _entry(released, now - timedelta(minutes=1)),  # after the release
                   _entry(released, now - timedelta(minutes=90)))  # while it was held
    assert result == {"accepted": 2, "duplicate": 0, "rejected": 1}


def test_qa_lead_reports_replay_reveals_of_decided_items_only(harness: Harness) -> None:
    h = harness
    h.queue("q", 2)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q", 2)
    decided, pending = lease["items"][0]["id"], lease["items"][1]["id"]
    h.post_decisions(alice, decision(decided, lease["lease_id"]))
    entry = _entry(decided)
    assert _post(h, qa, entry, _entry(pending)) == {"accepted": 1, "duplicate": 0,
                                                     "rejected": 1}
    assert _post(h, qa, entry) == {"accepted": 0, "duplicate": 1, "rejected": 0}
    wellness = h.user("w", "wellness")
    assert h.http.post("/exposure", json={"entries": [_entry(decided)]},
                       headers=wellness).status_code == 403


def test_breaks_are_stored_once_with_the_length_the_policy_asks(harness: Harness) -> None:
    h = harness
    alice = h.user("alice", "reviewer", teams=("a",))
    h.http.put("/wellness/policies/team:a", headers=h.user("w", "wellness"),
               json={"policy": {"break_length_minutes": 15}})
    now = datetime.now(UTC)
    taken = {"break_id": str(uuid.uuid4()), "due_at": now.isoformat(), "taken_seconds": 900}
    skipped = {"break_id": str(uuid.uuid4()), "due_at": now.isoformat()}
    future = {"break_id": str(uuid.uuid4()), "due_at": (now + timedelta(hours=1)).isoformat()}
    first = h.http.post("/breaks", json={"entries": [taken, skipped, future]}, headers=alice)
    assert first.json() == {"accepted": 2, "duplicate": 0, "rejected": 1}
    again = h.http.post("/breaks", json={"entries": [taken]}, headers=alice)
    assert again.json() == {"accepted": 0, "duplicate": 1, "rejected": 0}
    with h.db.session() as session:
        rows = session.scalars(select(BreakRecord)).all()
    assert sorted((r.taken_seconds, r.required_seconds) for r in rows) == [(0, 900), (900, 900)]
