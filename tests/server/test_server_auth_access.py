"""Access rules, on SQLite and PostgreSQL: a queue naming teams is leased only by their
members (no teams: everyone), and a lease is renewed only while it has something left to
decide (or to undo) and up to its maximum age.
"""

from __future__ import annotations

from datetime import timedelta

from server_harness import Harness, decision
from sqlalchemy import update

from server.models import DecisionRecord, Lease, QueueTeam, utcnow


def test_a_queue_with_teams_is_leased_by_their_members_only(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("vendor-only", 2)
    h.queue("open", 2)
    with h.db.writer() as session:
        session.add_all([QueueTeam(queue="vendor-only", team="vendor-a"),
                         QueueTeam(queue="vendor-only", team="vendor-b")])
    member, outsider = h.user("ana", teams=("vendor-b",)), h.user("otto", teams=("vendor-c",))
    assert len(h.lease(member, "vendor-only")["items"]) == 2
    refused = h.http.post("/queues/vendor-only/leases", json={"max_items": 1}, headers=outsider)
    assert refused.status_code == 403 and refused.json()["error"] == "not_your_team"
    assert len(h.lease(outsider, "open")["items"]) == 2
    assert h.http.get("/me", headers=outsider).json()["queues"] == ["open"]
    assert h.http.get("/me", headers=member).json()["queues"] == ["open", "vendor-only"]


def test_a_lease_with_nothing_left_to_decide_is_not_renewed(backend_harness: Harness) -> None:
    h = backend_harness
    ids = h.queue("q", 1)
    alice = h.user("alice")
    lease = h.lease(alice, "q", 1)
    renew = f"/leases/{lease['lease_id']}/renew"
    assert h.http.post(renew, headers=alice).status_code == 200
    h.post_decisions(alice, decision(ids[0], lease["lease_id"]))
    assert h.http.post(renew, headers=alice).status_code == 200  # may still undo
    with h.db.writer() as session:
        session.execute(update(DecisionRecord).values(received_at=utcnow() - timedelta(hours=1)))
    finished = h.http.post(renew, headers=alice)
    assert finished.status_code == 409 and finished.json()["error"] == "lease_finished"


def test_a_lease_past_its_maximum_age_is_not_renewed(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 2)
    alice = h.user("alice")
    lease = h.lease(alice, "q", 2)
    with h.db.writer() as session:
        session.execute(update(Lease).values(created_at=utcnow() - timedelta(hours=5)))
    old = h.http.post(f"/leases/{lease['lease_id']}/renew", headers=alice)
    assert old.status_code == 409 and old.json()["error"] == "lease_too_old"
    other = h.http.post(f"/leases/{lease['lease_id']}/renew", headers=h.user("bob"))
    assert other.status_code == 403  # someone else's lease: the route's own answer
