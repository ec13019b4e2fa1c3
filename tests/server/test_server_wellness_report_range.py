"""A report over any range costs what the data costs: the fuzzer's centuries-wide range
(0158 to 9832) once looped over every hour of it and never answered."""

from __future__ import annotations


def test_a_report_over_centuries_answers_with_the_days_that_have_data(harness):
    headers = harness.user(None, "wellness")
    reply = harness.http.get("/wellness/report", headers=headers,
                             params={"since": "0158-07-09", "until": "9832-12-31"})
    assert reply.status_code == 200 and reply.json() == {"rows": []}


def test_a_region_reveal_counts_by_the_share_it_showed(backend_harness):
    """4 s over a quarter of the item is 1 s of unprotected exposure in the report."""
    import uuid
    from datetime import UTC, datetime

    h = backend_harness
    [item] = h.queue("q", 1)
    reviewer = h.user("rita")
    h.lease(reviewer, "q")
    now = datetime.now(UTC).isoformat()
    entries = [{"entry_id": str(uuid.uuid4()), "item_id": item, "category": "c", "severity": 1,
                "mode": "region", "started_at": now, "duration_ms": 4000, "area": 0.25},
               {"entry_id": str(uuid.uuid4()), "item_id": item, "category": "c", "severity": 1,
                "mode": "hold", "started_at": now, "duration_ms": 2000}]
    reply = h.http.post("/exposure", json={"entries": entries}, headers=reviewer)
    assert reply.status_code == 200 and reply.json()["accepted"] == 2
    rows = h.http.get("/wellness/report", headers=h.user(None, "wellness")).json()["rows"]
    [row] = [r for r in rows if r["reviewer"] == "rita"]
    assert (row["reveals"], row["reveal_ms"]) == (2, 3000)
