"""The escalation tier on SQLite and PostgreSQL: an `escalate` reaches the queue's
escalation queue with the first decision in the item's context; only seniors and QA
leads lease there; the tier's decision is the outcome; QA sees both, linked."""

from __future__ import annotations

from typing import Any

from server_harness import Harness, decision

from server.models import Item
from server.queue_admin import QueueChange, set_queue
from server.services.decisions import current_decisions
from server.services.escalation import WITHDRAWN, outcome_item

SENIOR = ("reviewer", "senior")


def _tier(h: Harness) -> str:
    """Queue `q` (one image item) escalating to the empty queue `tier`; returns the item."""
    [item] = h.queue("q", 1, images=1)
    h.queue("tier", 0)
    set_queue(h.db, "q", QueueChange(escalation_queue="tier"))
    return item


def _escalate(h: Harness, headers: dict[str, str], note: str = "context needed"
              ) -> tuple[dict[str, Any], dict[str, Any]]:
    lease = h.lease(headers, "q")
    first = decision(lease["items"][0]["id"], lease["lease_id"], "escalate", note=note,
                     labels=["spam"])
    first["events"] = [{"at_ms": 0, "type": "shown"},
                       {"at_ms": 1200, "type": "reveal_start", "mode": "hold"},
                       {"at_ms": 3400, "type": "reveal_end", "duration_ms": 2200},
                       {"at_ms": 4000, "type": "decided", "action": "escalate"}]
    assert h.post_decisions(headers, first)[0]["status"] == "accepted"
    return lease, first


def test_an_escalation_reaches_the_tier_with_the_first_decision_in_its_context(
        backend_harness: Harness) -> None:
    h = backend_harness
    original = _tier(h)
    alice, senior = h.user("alice"), h.user("sam", *SENIOR)
    lease, first = _escalate(h, alice, note="could be satire; needs policy")
    [copy] = h.lease(senior, "tier")["items"]
    leased = lease["items"][0]
    assert copy["id"] != original
    assert copy["media"] == leased["media"] and copy["kind"] == "image"
    context = copy["context"]
    assert context["escalated_from"] == original
    assert context["escalated_by"] == "alice"
    assert context["first_decision"] == "escalate (spam)"
    assert context["first_decision_id"] == first["decision_id"]
    assert context["escalation_note"] == "could be satire; needs policy"
    assert context["first_timeline"].startswith("shown 0.0 s · reveal_start 1.2 s (hold)")
    assert "reveal_end 3.4 s (2.2 s)" in context["first_timeline"]
    # The senior's lease grants the copy's media, as for any item.
    media = h.http.get(f"/media/{copy['media']['sha256']}", headers=senior)
    assert media.status_code == 200 and media.content
    # The first queue has nothing left: the item went on, it was not put back.
    assert h.http.post("/queues/q/leases", json={"max_items": 5},
                       headers=h.user("bob")).json()["items"] == []


def test_a_plain_reviewer_cannot_lease_the_tier_a_senior_and_a_qa_lead_can(
        backend_harness: Harness) -> None:
    h = backend_harness
    _tier(h)
    h.queue("other", 1)
    plain = h.user("alice")
    refused = h.http.post("/queues/tier/leases", json={"max_items": 5}, headers=plain)
    assert refused.status_code == 403
    assert refused.json()["error"] == "escalation_tier"
    assert "senior" in refused.json()["detail"]
    assert h.http.post("/queues/tier/leases", json={"max_items": 5},
                       headers=h.user("sam", *SENIOR)).status_code == 200
    assert h.http.post("/queues/tier/leases", json={"max_items": 5},
                       headers=h.user("lead", "reviewer", "qa_lead")).status_code == 200
    # The first queue and a queue nobody escalates to stay open to every reviewer.
    assert h.http.post("/queues/q/leases", json={"max_items": 5},
                       headers=plain).status_code == 200
    assert h.http.post("/queues/other/leases", json={"max_items": 5},
                       headers=plain).status_code == 200


def test_the_seniors_decision_is_accepted_and_is_the_outcome(backend_harness: Harness
                                                              ) -> None:
    h = backend_harness
    original = _tier(h)
    alice, senior = h.user("alice"), h.user("sam", *SENIOR)
    _escalate(h, alice)
    tier_lease = h.lease(senior, "tier")
    copy = tier_lease["items"][0]["id"]
    final = decision(copy, tier_lease["lease_id"], "remove")
    assert h.post_decisions(senior, final)[0]["status"] == "accepted"
    with h.db.session() as session:
        assert outcome_item(session, original) == copy
        [counting] = current_decisions(session, outcome_item(session, original))
        assert (counting.action, counting.reviewer) == ("remove", "sam")
        stored = session.get(Item, copy)
        assert stored is not None and stored.state == "decided"
        assert stored.escalated_from == original
        assert session.get(Item, original).state == "decided"  # type: ignore[union-attr]


def test_qa_sees_both_decisions_linked(backend_harness: Harness) -> None:
    h = backend_harness
    original = _tier(h)
    alice, senior, qa = h.user("alice"), h.user("sam", *SENIOR), h.user("qa", "qa_lead")
    _, first = _escalate(h, alice)
    tier_lease = h.lease(senior, "tier")
    copy = tier_lease["items"][0]["id"]
    final = decision(copy, tier_lease["lease_id"], "remove")
    h.post_decisions(senior, final)
    by_id = {d["decision_id"]: d for d in h.http.get("/qa/decisions", headers=qa).json()["data"]}
    assert set(by_id) == {first["decision_id"], final["decision_id"]}
    first_seen, tier_seen = by_id[first["decision_id"]], by_id[final["decision_id"]]
    assert (first_seen["item_id"], first_seen["action"]) == (original, "escalate")
    assert first_seen["escalated_to"] == copy and first_seen["escalated_from"] is None
    assert (tier_seen["item_id"], tier_seen["queue"], tier_seen["action"]) == (
        copy, "tier", "remove")
    assert tier_seen["escalated_from"] == original
    assert tier_seen["first_decision_id"] == first["decision_id"]
    assert tier_seen["item"]["context"]["escalation_note"] == "context needed"
    tier_only = h.http.get("/qa/decisions", params={"queue": "tier"}, headers=qa).json()
    assert [d["decision_id"] for d in tier_only["data"]] == [final["decision_id"]]


def test_an_escalate_without_an_escalation_queue_is_final_as_before(
        backend_harness: Harness) -> None:
    h = backend_harness
    [original] = h.queue("q", 1)
    h.queue("tier", 0)  # exists, but `q` names no escalation queue
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q")
    first = decision(original, lease["lease_id"], "escalate")
    assert h.post_decisions(alice, first)[0]["status"] == "accepted"
    assert h.lease(h.user("sam", *SENIOR), "tier")["items"] == []
    # `tier` is nobody's escalation queue: a plain reviewer leases it as any queue.
    assert h.lease(h.user("bob"), "tier")["items"] == []
    with h.db.session() as session:
        assert session.get(Item, original).state == "decided"  # type: ignore[union-attr]
        assert outcome_item(session, original) == original
    [seen] = h.http.get("/qa/decisions", headers=qa).json()["data"]
    assert seen["action"] == "escalate" and seen["escalated_to"] is None


def test_an_undone_escalation_is_withdrawn_from_the_tier(backend_harness: Harness) -> None:
    h = backend_harness
    original = _tier(h)
    alice = h.user("alice")
    lease, first = _escalate(h, alice)
    undo = decision(original, lease["lease_id"], "approve", supersedes=first["decision_id"])
    assert h.post_decisions(alice, undo)[0]["status"] == "accepted"
    assert h.lease(h.user("sam", *SENIOR), "tier")["items"] == []
    with h.db.session() as session:
        copy = session.get(Item, f"esc-{first['decision_id']}")
        assert copy is not None and copy.state == WITHDRAWN
        assert outcome_item(session, original) == original


def test_a_full_context_gives_way_to_the_escalation_keys(backend_harness: Harness) -> None:
    h = backend_harness
    original = _tier(h)
    with h.db.writer() as session:
        item = session.get(Item, original)
        assert item is not None
        item.context = {f"k{n:02d}": "v" for n in range(31)} | {"escalated_by": "forged"}
    _escalate(h, h.user("alice"))
    [copy] = h.lease(h.user("sam", *SENIOR), "tier")["items"]
    assert len(copy["context"]) == 32
    assert copy["context"]["escalated_by"] == "alice"
    assert copy["context"]["escalated_from"] == original
    assert "k00" not in copy["context"] and "k30" in copy["context"]
