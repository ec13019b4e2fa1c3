"""The QA decision finder: cursor paging over ties, filters, seeded samples, bad cursors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from qa_helpers import timed
from server_harness import Harness, decision
from sqlalchemy import insert

from server.models import DecisionRecord


def _bulk_decisions(h: Harness, items: list[str], count: int, moments: list[datetime]) -> set[str]:
    """`count` decisions straight into the database, all sharing one of a few timestamps."""
    rows = []
    for n in range(count):
        at = moments[n % len(moments)]
        rows.append({"decision_id": str(uuid.uuid4()), "item_id": items[n % len(items)],
                     "lease_id": "L-bulk", "reviewer": f"r{n % 7}", "queue": "q",
                     "action": "approve", "labels": [], "status": "accepted",
                     "started_at": at, "decided_at": at, "received_at": at, "events": [],
                     "client": "", "handle_ms": 0, "reveals": 0})
    with h.db.writer() as session:
        session.execute(insert(DecisionRecord), rows)
    return {row["decision_id"] for row in rows}


def _page_all(h: Harness, qa: dict[str, str], **params: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = h.http.get("/qa/decisions", params=query, headers=qa)
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [d["decision_id"] for d in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


def test_cursor_pages_through_3000_tied_decisions_exactly_once(backend_harness: Harness) -> None:
    h = backend_harness
    items = h.queue("q", 10)
    qa = h.user("qa", "qa_lead")
    base = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    stored = _bulk_decisions(h, items, 3000, [base, base + timedelta(microseconds=1), base])
    seen = _page_all(h, qa, limit=250)
    assert len(seen) == 3000 and set(seen) == stored
    # ...and a filter pages alike: reviewer r3 has every 7th decision
    only_r3 = _page_all(h, qa, limit=100, reviewer="r3")
    assert len(only_r3) == len(set(only_r3)) == len(range(3, 3000, 7))


def test_filters_by_action_escalated_late_and_superseded(harness: Harness) -> None:
    h = harness
    h.queue("q", 6)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q", 6)
    ids = [item["id"] for item in lease["items"]]
    first = timed(ids[0], lease["lease_id"], "approve", handle_ms=1500, reveals=2)
    second = timed(ids[0], lease["lease_id"], "remove", supersedes=first["decision_id"])
    escalated = timed(ids[1], lease["lease_id"], "escalate")
    h.post_decisions(alice, first, second, escalated,
                     timed(ids[2], lease["lease_id"], "approve"))
    h.http.delete(f"/leases/{lease['lease_id']}", headers=alice)
    late = timed(ids[3], lease["lease_id"], "remove")
    assert h.post_decisions(alice, late)[0]["status"] == "late"

    def ids_of(**params: Any) -> set[str]:
        body = h.http.get("/qa/decisions", params=params, headers=qa).json()
        return {d["decision_id"] for d in body["data"]}

    assert ids_of(action="remove") == {second["decision_id"], late["decision_id"]}
    assert ids_of(escalated=True) == {escalated["decision_id"]}
    assert len(ids_of(escalated=False)) == 4
    assert ids_of(late=True) == {late["decision_id"]}
    assert ids_of(superseded=True) == {first["decision_id"]}
    assert first["decision_id"] not in ids_of(superseded=False)
    row = next(d for d in h.http.get("/qa/decisions", headers=qa).json()["data"]
               if d["decision_id"] == first["decision_id"])
    assert (row["handle_ms"], row["reveals"], row["gold_action"]) == (1500, 2, None)
    assert row["item"]["id"] == ids[0] and row["item"]["text"] is not None  # for the replay
    assert row["superseded_by"] == second["decision_id"]


def test_a_sample_per_reviewer_is_seeded_and_pages(harness: Harness) -> None:
    h = harness
    h.queue("q", 30)
    qa = h.user("qa", "qa_lead")
    for name in ("alice", "bob", "carol"):
        reviewer = h.user(name)
        lease = h.lease(reviewer, "q", 10)
        h.post_decisions(reviewer, *(decision(i["id"], lease["lease_id"])
                                     for i in lease["items"]))
    params = {"sample_per_reviewer": 4, "seed": 11, "limit": 5}
    first, again = _page_all(h, qa, **params), _page_all(h, qa, **params)
    assert first == again and len(first) == len(set(first)) == 12
    rows = h.http.get("/qa/decisions", params={"limit": 100}, headers=qa).json()["data"]
    reviewer_of = {d["decision_id"]: d["reviewer"] for d in rows}
    assert sorted(reviewer_of[d] for d in first) == ["alice"] * 4 + ["bob"] * 4 + ["carol"] * 4
    other_seed = _page_all(h, qa, sample_per_reviewer=4, seed=12, limit=100)
    assert set(other_seed) != set(first)


def test_a_cursor_not_from_the_server_is_a_clear_error(harness: Harness) -> None:
    h = harness
    qa = h.user("qa", "qa_lead")
    for bad in ("not-a-cursor", "eyJ0IjogMX0", "%%%"):
        reply = h.http.get("/qa/decisions", params={"cursor": bad}, headers=qa)
        assert reply.status_code == 422, reply.text
        assert reply.json()["error"] in {"invalid_cursor", "validation_error"}
    wrong = h.http.get("/qa/decisions", params={"escalated": "perhaps"}, headers=qa)
    assert wrong.status_code == 422
