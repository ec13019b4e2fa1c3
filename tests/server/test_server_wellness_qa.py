"""Wellness policy precedence, the exposure ledger and report; QA replay, verdicts, report."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from server_harness import Harness, decision

from server.services.qa import cohen_kappa


def test_policy_user_beats_team_beats_default(harness: Harness) -> None:
    h = harness
    h.queue("q", 1)
    wellness = h.user("w", "wellness")
    alice = h.user("alice", "reviewer", teams=("vendor-a",))
    carol = h.user("carol", "reviewer", teams=("vendor-b",))
    assert h.http.get("/policy", headers=alice).json()["scope"] == "default"
    for scope, cap in (("default", 600), ("team:vendor-a", 300), ("user:alice", 120)):
        stored = h.http.put(f"/wellness/policies/{scope}", headers=wellness,
                            json={"policy": {"daily_reveal_seconds_cap": cap}})
        assert stored.status_code == 200 and stored.json()["scope"] == scope
    mine = h.http.get("/policy", headers=alice).json()
    assert (mine["scope"], mine["wellness"]["daily_reveal_seconds_cap"]) == ("user:alice", 120)
    assert "escalate" in [a["id"] for a in mine["taxonomies"]["q"]["actions"]]
    theirs = h.http.get("/policy", headers=carol).json()
    assert (theirs["scope"], theirs["wellness"]["daily_reveal_seconds_cap"]) == ("default", 600)


def _entry(item: str, severity: int, ms: int) -> dict:
    return {"entry_id": str(uuid.uuid4()), "item_id": item, "category": "test",
            "severity": severity, "mode": "hold",
            "started_at": datetime.now(UTC).isoformat(), "duration_ms": ms}


def test_exposure_is_idempotent_and_reported_without_content(harness: Harness) -> None:
    h = harness
    h.queue("q", 1)
    alice, wellness = h.user("alice"), h.user("w", "wellness")
    lease = h.lease(alice, "q")
    h.post_decisions(alice, decision(lease["items"][0]["id"], lease["lease_id"]))
    entries = [_entry("q-000", 2, 1500), _entry("q-000", 3, 500)]
    first = h.http.post("/exposure", json={"entries": entries}, headers=alice).json()
    again = h.http.post("/exposure", json={"entries": entries}, headers=alice).json()
    assert first == {"accepted": 2, "duplicate": 0, "rejected": 0}
    assert again == {"accepted": 0, "duplicate": 2, "rejected": 0}
    rows = h.http.get("/wellness/report", headers=wellness).json()["rows"]
    # the severity is the item's (q-000 is 0), not the one the entries claim
    assert rows == [{"reviewer": "alice", "day": datetime.now(UTC).date().isoformat(),
                     "decisions": 1, "reveals": 2, "reveal_ms": 2000,
                     "max_severity_revealed": 0}]
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    later = h.http.get(f"/wellness/report?since={tomorrow}", headers=wellness).json()
    assert later["rows"] == []


def test_qa_replays_filters_samples_and_reports(harness: Harness) -> None:
    h = harness
    h.queue("q", 6)
    alice, bob, qa = h.user("alice"), h.user("bob"), h.user("qa", "qa_lead")
    posted = {}
    for who, headers in (("alice", alice), ("bob", bob)):
        lease = h.lease(headers, "q", 3)
        actions = ["approve", "remove", "approve"]
        batch = [decision(item["id"], lease["lease_id"], action)
                 for item, action in zip(lease["items"], actions, strict=True)]
        h.post_decisions(headers, *batch)
        posted[who] = batch

    only_alice = h.http.get("/qa/decisions?reviewer=alice", headers=qa).json()
    assert only_alice["count"] == 3 and {d["reviewer"] for d in only_alice["data"]} == {"alice"}
    assert only_alice["data"][0]["events"][1] == {"at_ms": 900, "type": "decided",
                                                  "action": only_alice["data"][0]["action"],
                                                  "duration_ms": None, "mode": None}
    sample = h.http.get("/qa/decisions?sample=2&seed=7", headers=qa).json()
    assert sample["count"] == 2
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert h.http.get("/qa/decisions", params={"since": future}, headers=qa).json()["count"] == 0

    verdicts = [{"verdict_id": str(uuid.uuid4()), "decision_id": d["decision_id"],
                 "action": "approve"} for d in posted["alice"]]
    unknown = {"verdict_id": str(uuid.uuid4()), "decision_id": str(uuid.uuid4()),
               "action": "approve"}
    result = h.http.post("/qa/verdicts", json={"verdicts": [*verdicts, unknown]}, headers=qa)
    assert result.json() == {"accepted": 3, "duplicate": 0, "rejected": [unknown["verdict_id"]]}
    again = h.http.post("/qa/verdicts", json={"verdicts": verdicts}, headers=qa).json()
    assert again["duplicate"] == 3

    report = h.http.get("/qa/report?reviewer=alice", headers=qa).json()
    assert report["verdicts"] == 3
    assert report["agreement"] == pytest.approx(2 / 3)
    assert report["confusion"] == {"approve": {"approve": 2}, "remove": {"approve": 1}}
    # QA always says approve: po = 2/3 = pe, so no agreement beyond chance
    assert report["cohen_kappa"] == pytest.approx(0.0)
    assert report["handle_time_ms_p50"] == 0


def test_cohen_kappa_matches_a_worked_example() -> None:
    # 50 items: both yes 20, both no 15, reviewer yes/QA no 5, reviewer no/QA yes 10.
    pairs = ([("yes", "yes")] * 20 + [("no", "no")] * 15 + [("yes", "no")] * 5
             + [("no", "yes")] * 10)
    # po = 0.7; pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.4
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert cohen_kappa([("a", "a")] * 3) is None  # one category on both sides: undefined
