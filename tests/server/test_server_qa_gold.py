"""Gold items: mixed into leases at the queue's rate, never twice to one reviewer, the same
wire shape as any item, decided, shown and released through per-reviewer assignments."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from qa_helpers import mark_gold, share, timed
from server_harness import Harness
from test_server_cli import cli

GOLD_RATE = 0.05
LEASES_PER_REVIEWER = 25  # 4 reviewers x 25 leases x 10 items = 1,000 leased items


@pytest.mark.lease_ttl(600)  # no lease may run out mid-test on a loaded machine
@pytest.mark.server_settings(max_held_items=1000)  # each reviewer holds 250 undecided
def test_gold_reaches_reviewers_at_the_rate_and_never_twice(backend_harness: Harness) -> None:
    h = backend_harness
    items = h.queue("q", 1030)
    qa = h.user("qa", "qa_lead")
    gold = set(items[-30:])
    for item_id in gold:
        mark_gold(h, qa, item_id, "remove")
    share(h, "q", gold_rate=GOLD_RATE)
    leased: Counter[str] = Counter()
    gold_of: dict[str, list[str]] = {}
    for name in ("r1", "r2", "r3", "r4"):
        reviewer = h.user(name)
        got: list[str] = []
        for _ in range(LEASES_PER_REVIEWER):
            reply = h.lease(reviewer, "q", 10)
            assert len(reply["items"]) == 10
            got += [item["id"] for item in reply["items"]]
        leased[name] = len(got)
        gold_of[name] = [item_id for item_id in got if item_id in gold]
    assert sum(leased.values()) == 1000
    for name, golds in gold_of.items():
        assert len(golds) == len(set(golds)), f"{name} got a gold item twice"
        # randomised rounding keeps each reviewer's share within one item of the rate
        assert abs(len(golds) - GOLD_RATE * leased[name]) <= 1.0, (name, len(golds))
    total = sum(len(golds) for golds in gold_of.values())
    assert abs(total - GOLD_RATE * 1000) <= 4  # stated tolerance: 1 item per reviewer


@pytest.mark.lease_ttl(600)
def test_a_gold_item_looks_like_any_item_and_works_for_each_reviewer(
        backend_harness: Harness) -> None:
    h = backend_harness
    items = h.queue("q", 4, images=4)
    qa = h.user("qa", "qa_lead")
    mark_gold(h, qa, items[0], "remove")
    share(h, "q", gold_rate=0.5)
    decided = {}
    for name in ("alice", "bob"):
        reviewer = h.user(name)
        lease = h.lease(reviewer, "q", 2)
        by_id = {item["id"]: item for item in lease["items"]}
        assert items[0] in by_id, "with rate 0.5 a lease of two carries the gold item"
        other = next(item for item_id, item in by_id.items() if item_id != items[0])
        assert set(by_id[items[0]]) == set(other)  # no flag, same wire shape
        media = h.http.get(f"/media/{by_id[items[0]]['media']['sha256']}", headers=reviewer)
        assert media.status_code == 200
        action = "remove" if name == "alice" else "approve"
        made = timed(items[0], lease["lease_id"], action)
        assert h.post_decisions(reviewer, made)[0]["status"] == "accepted"
        decided[name] = made["decision_id"]
        released = h.http.delete(f"/leases/{lease['lease_id']}", headers=reviewer).json()
        assert released["released"] == 1  # the other item; the gold one was decided
        again = h.http.get(f"/media/{by_id[items[0]]['media']['sha256']}", headers=reviewer)
        assert again.status_code == 403
        late = timed(items[0], lease["lease_id"], "approve", supersedes=made["decision_id"])
        assert h.post_decisions(reviewer, late)[0]["status"] == "late"
    # the on-time decisions, superseded by the late ones
    rows = h.http.get("/qa/decisions", params={"superseded": True}, headers=qa).json()["data"]
    assert {d["decision_id"]: d["gold_action"] for d in rows} == {
        decided["alice"]: "remove", decided["bob"]: "remove"}
    gold_list = h.http.get("/qa/gold", headers=qa).json()
    assert [(g["item_id"], g["action"]) for g in gold_list["data"]] == [(items[0], "remove")]
    queues = h.http.get("/queues", headers=qa).json()["data"]
    assert queues[0]["pending"] == 3  # the gold item left the ordinary queue


def test_gold_marks_refuse_unknown_items_and_actions(harness: Harness) -> None:
    h = harness
    items = h.queue("q", 2)
    qa = h.user("qa", "qa_lead")
    for body, status, code in (
            ({"item_id": "nope", "action": "remove"}, 404, "unknown_item"),
            ({"item_id": items[0], "action": "explode"}, 422, "unknown_action"),
            ({"item_id": items[0], "action": "skip"}, 422, "unknown_action"),
            ({"item_id": items[0]}, 422, "validation_error")):
        reply = h.http.post("/qa/gold", json=body, headers=qa)
        assert (reply.status_code, reply.json()["error"]) == (status, code)


def test_cli_marks_gold_and_sets_queue_rates(harness: Harness,
                                             server_dirs: tuple[str, Path]) -> None:
    h = harness
    items = h.queue("q", 3)
    out = cli("gold", "add", "q", items[1], "--action", "remove", location=server_dirs)
    assert f"q/{items[1]} expects remove" in out
    out = cli("queue", "set", "q", "--gold-rate", "0.05", "--overlap-rate", "0.1",
              "--overlap-k", "3", location=server_dirs)
    assert "gold rate 0.05, overlap rate 0.1, overlap k 3" in out
    qa = h.user("qa", "qa_lead")
    assert h.http.get("/qa/gold", params={"queue": "q"}, headers=qa).json()["count"] == 1
    db_url, data_dir = server_dirs
    for args in (["queue", "set", "q", "--gold-rate", "0.9"],
                 ["queue", "set", "nope", "--gold-rate", "0.1"],
                 ["gold", "add", "q", "missing", "--action", "remove"]):
        done = subprocess.run([sys.executable, "-m", "server.cli", *args, "--db", db_url,
                               "--data-dir", str(data_dir)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 2 and done.stderr.startswith("error: "), done.stderr
        assert "Traceback" not in done.stderr
