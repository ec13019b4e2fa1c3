"""Leases on SQLite and on PostgreSQL: exclusive under concurrency, expiry, renew, release."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from server_harness import Harness, decision


@pytest.mark.lease_ttl(120)  # no lease may run out mid-test on a loaded machine
def test_twenty_reviewers_leasing_at_once_get_disjoint_items(backend_harness: Harness) -> None:
    h = backend_harness
    all_items = set(h.queue("q", 60))
    reviewers = [h.user(f"r{n}") for n in range(20)]
    h.http.get("/me", headers=reviewers[0])  # warm the connection pool

    def lease(headers: dict[str, str]) -> list[str]:
        with h.http.__class__(base_url=h.http.base_url, timeout=30) as client:
            reply = client.post("/queues/q/leases", json={"max_items": 5}, headers=headers)
        assert reply.status_code == 200, reply.text
        return [item["id"] for item in reply.json()["items"]]

    with ThreadPoolExecutor(max_workers=20) as pool:
        batches = list(pool.map(lease, reviewers))

    leased = [item for batch in batches for item in batch]
    assert len(leased) == len(set(leased)), "an item went to two reviewers"
    assert set(leased) == all_items  # 100 asked for, 60 exist: all handed out once


def test_expired_lease_returns_items_to_the_next_reviewer(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 3)
    alice, bob = h.user("alice"), h.user("bob")
    first = h.lease(alice, "q")
    assert len(first["items"]) == 3
    assert h.lease(bob, "q")["items"] == []

    time.sleep(1.7)  # past the 1.5 s lease
    second = h.lease(bob, "q")
    assert {i["id"] for i in second["items"]} == {i["id"] for i in first["items"]}

    late = h.post_decisions(alice, decision(first["items"][0]["id"], first["lease_id"]))
    assert late[0]["status"] == "late"
    on_time = h.post_decisions(bob, decision(second["items"][0]["id"], second["lease_id"]))
    assert on_time[0]["status"] == "accepted"
    renew = h.http.post(f"/leases/{first['lease_id']}/renew", headers=alice)
    assert renew.status_code == 409 and renew.json()["error"] == "lease_expired"


@pytest.mark.lease_ttl(3)  # room for a slow machine before the renewal, and after it
def test_renew_extends_and_release_returns_undecided_items(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 4)
    alice, bob = h.user("alice"), h.user("bob")
    lease = h.lease(alice, "q", 4)
    h.post_decisions(alice, decision(lease["items"][0]["id"], lease["lease_id"]))

    time.sleep(1.0)
    renewed = h.http.post(f"/leases/{lease['lease_id']}/renew", headers=alice)
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["expires_at"] > lease["expires_at"]
    first_expiry = datetime.fromisoformat(lease["expires_at"])
    time.sleep(max(0.0, (first_expiry - datetime.now(UTC)).total_seconds()) + 0.3)
    # past the first expiry, within the renewed one (about a second later)
    assert h.lease(bob, "q")["items"] == []

    assert h.http.post(f"/leases/{lease['lease_id']}/renew", headers=bob).status_code == 403
    released = h.http.delete(f"/leases/{lease['lease_id']}", headers=alice)
    assert released.status_code == 200 and released.json()["released"] == 3
    assert len(h.lease(bob, "q")["items"]) == 3  # the decided one stays decided
    after = h.post_decisions(alice, decision(lease["items"][1]["id"], lease["lease_id"]))
    assert after[0]["status"] == "late"


def test_skip_returns_the_item_to_the_queue(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 2)
    alice, bob = h.user("alice"), h.user("bob")
    lease = h.lease(alice, "q", 2)
    skipped, escalated = lease["items"][0]["id"], lease["items"][1]["id"]
    results = h.post_decisions(alice, decision(skipped, lease["lease_id"], "skip"),
                               decision(escalated, lease["lease_id"], "escalate"))
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert [i["id"] for i in h.lease(bob, "q")["items"]] == [skipped]


def test_lease_carries_the_taxonomy_with_escalate(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 1)
    lease = h.lease(h.user(), "q")
    actions = {a["id"]: a.get("key") for a in lease["taxonomy"]["actions"]}
    assert actions == {"approve": "1", "remove": "2", "escalate": None}
    assert lease["taxonomy"]["labels"][0]["id"] == "spam"
    assert h.http.post("/queues/nope/leases", json={}, headers=h.user()).status_code == 404
