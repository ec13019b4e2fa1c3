"""Overlap items: a queue's share of items goes to k distinct reviewers, then is done."""

from __future__ import annotations

import pytest
from qa_helpers import share, timed
from server_harness import Harness


@pytest.mark.lease_ttl(600)
def test_overlap_items_reach_k_distinct_reviewers_then_are_done(
        backend_harness: Harness) -> None:
    h = backend_harness
    items = h.queue("q", 6)
    share(h, "q", overlap_rate=1.0, overlap_k=3)
    holders: dict[str, set[str]] = {item_id: set() for item_id in items}
    for name in ("r1", "r2", "r3"):
        reviewer = h.user(name)
        lease = h.lease(reviewer, "q", 10)
        assert sorted(item["id"] for item in lease["items"]) == items
        again = h.lease(reviewer, "q", 10)
        assert again["items"] == [], "never the same overlap item twice to one reviewer"
        for item in lease["items"]:
            holders[item["id"]].add(name)
        results = h.post_decisions(reviewer, *(timed(item["id"], lease["lease_id"], "approve")
                                               for item in lease["items"]))
        assert {r["status"] for r in results} == {"accepted"}
        pending = h.http.get("/queues", headers=reviewer).json()["data"][0]["pending"]
        assert pending == (0 if name == "r3" else 6)  # done once the third reviewer decided
    assert all(names == {"r1", "r2", "r3"} for names in holders.values())
    assert h.lease(h.user("r4"), "q", 10)["items"] == []


@pytest.mark.lease_ttl(600)
def test_a_released_overlap_slot_goes_to_another_reviewer(backend_harness: Harness) -> None:
    h = backend_harness
    items = h.queue("q", 2)
    share(h, "q", overlap_rate=1.0, overlap_k=2)
    first, second, third = h.user("r1"), h.user("r2"), h.user("r3")
    h.lease(first, "q", 1)
    taken = h.lease(second, "q", 1)
    assert [i["id"] for i in taken["items"]] == [items[0]]
    assert [i["id"] for i in h.lease(third, "q", 1)["items"]] == [items[1]], "item 0 is full"
    released = h.http.delete(f"/leases/{taken['lease_id']}", headers=second).json()
    assert released["released"] == 1
    fourth = h.lease(h.user("r4"), "q", 1)
    assert [i["id"] for i in fourth["items"]] == [items[0]]


@pytest.mark.server_settings(max_held_items=2000)  # r1 holds its 1,000 undecided
def test_the_overlap_share_follows_the_rate(harness: Harness) -> None:
    h = harness
    h.queue("q", 1000)
    share(h, "q", overlap_rate=0.1, overlap_k=2)
    first, second = h.user("r1"), h.user("r2")
    for _ in range(10):
        assert len(h.lease(first, "q", 100)["items"]) == 100
    overlapped = []
    while True:
        got = [item["id"] for item in h.lease(second, "q", 100)["items"]]
        if not got:
            break
        overlapped += got
    # the items a second reviewer can still have are exactly the overlap items:
    # a stable hash of each id against 0.1 (binomial sd ~9.5 over 1,000 items)
    assert 70 <= len(overlapped) <= 130
    assert len(set(overlapped)) == len(overlapped)
