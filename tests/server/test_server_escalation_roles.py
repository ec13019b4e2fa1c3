"""A `senior` account (no other role) reviews the tier: it sees, leases and decides there;
a plain reviewer is not even shown the tier queue."""

from __future__ import annotations

from server_harness import Harness, decision
from test_server_escalation import _escalate, _tier


def test_a_senior_alone_reviews_the_tier_and_plain_reviewers_do_not_see_it(
        harness: Harness) -> None:
    h = harness
    _tier(h)
    alice, sam = h.user("alice"), h.user("sam", "senior")
    _escalate(h, alice)

    seen_by_alice = {q["name"] for q in h.http.get("/queues", headers=alice).json()["data"]}
    seen_by_sam = {q["name"] for q in h.http.get("/queues", headers=sam).json()["data"]}
    assert "tier" not in seen_by_alice and "q" in seen_by_alice
    assert "tier" in seen_by_sam

    lease = h.lease(sam, "tier")
    [copy] = lease["items"]
    [result] = h.post_decisions(sam, decision(copy["id"], lease["lease_id"], "remove"))
    assert result["status"] == "accepted"
