"""The QA report end to end: kappas against published worked examples, computed by the
server's SQL, and the edge cases (no verdicts, one action only, superseded decisions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from qa_helpers import mark_gold, post_verdicts, queue_with_actions, report, share, timed, verdict
from server_harness import Harness
from sqlalchemy import update
from test_server_qa_kappa import FLEISS_EXAMPLE

from server.models import DecisionRecord
from server.services.agreement import ONE_ACTION
from server.services.qa_report import NO_GOLD, NO_OVERLAP, NO_VERDICTS

# Cohen's worked example as (reviewer action, QA or second reviewer action, count)
COHEN_CELLS = [("approve", "approve", 20), ("approve", "remove", 5),
               ("remove", "approve", 10), ("remove", "remove", 15)]


def _row(rows: list[dict], **match: str) -> dict:
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


@pytest.mark.lease_ttl(600)
def test_agreement_with_qa_matches_cohens_worked_example(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 50)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q", 50)
    items = iter(lease["items"])
    decisions, verdicts = [], []
    for mine, theirs, count in COHEN_CELLS:
        for _ in range(count):
            made = timed(next(items)["id"], lease["lease_id"], mine)
            decisions.append(made)
            verdicts.append(verdict(made["decision_id"], theirs))
    h.post_decisions(alice, *decisions)
    post_verdicts(h, qa, *verdicts)
    body = report(h, qa)
    mine = _row(body["reviewers"], reviewer="alice")
    assert mine["verdicts"] == 50 and mine["agreement"] == pytest.approx(0.7)
    assert mine["cohen_kappa"] == pytest.approx(0.4)
    assert mine["confusion"] == {"approve": {"approve": 20, "remove": 5},
                                 "remove": {"approve": 10, "remove": 15}}
    assert body["cohen_kappa"] == pytest.approx(0.4)
    assert _row(body["queues"], queue="q")["cohen_kappa"] == pytest.approx(0.4)
    assert mine["overlap_reason"] == NO_OVERLAP and mine["gold_reason"] == NO_GOLD


@pytest.mark.lease_ttl(600)
def test_overlap_pairs_give_cohens_kappa(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 50)
    share(h, "q", overlap_rate=1.0, overlap_k=2)
    first, second, qa = h.user("a"), h.user("b"), h.user("qa", "qa_lead")
    early = datetime.now(UTC) - timedelta(minutes=2)  # within the server's clock-skew window
    lease_a, lease_b = h.lease(first, "q", 50), h.lease(second, "q", 50)
    cells = [(mine, theirs) for mine, theirs, n in COHEN_CELLS for _ in range(n)]
    h.post_decisions(first, *(timed(item["id"], lease_a["lease_id"], mine, at=early)
                              for item, (mine, _) in zip(lease_a["items"], cells, strict=True)))
    by_item = dict(zip((i["id"] for i in lease_a["items"]), cells, strict=True))
    h.post_decisions(second, *(timed(item["id"], lease_b["lease_id"], by_item[item["id"]][1])
                               for item in lease_b["items"]))
    body = report(h, qa)
    queue = _row(body["queues"], queue="q")
    assert (queue["overlap_pairs"], queue["overlap_kappa_method"]) == (50, "cohen")
    assert queue["overlap_kappa"] == pytest.approx(0.4)
    assert queue["overlap_agreement"] == pytest.approx(0.7)
    for name in ("a", "b"):  # each reviewer against the other: the same kappa
        assert _row(body["reviewers"], reviewer=name)["overlap_kappa"] == pytest.approx(0.4)
    assert body["overall"]["verdicts"] == 0 and body["agreement"] is None
    assert body["overall"]["agreement_reason"] == NO_VERDICTS


@pytest.mark.lease_ttl(600)
def test_overlap_by_14_reviewers_gives_fleiss_kappa(backend_harness: Harness) -> None:
    h = backend_harness
    categories = [f"c{j}" for j in range(5)]
    items = queue_with_actions(h, "f", categories, 10)
    share(h, "f", overlap_rate=1.0, overlap_k=14)
    qa = h.user("qa", "qa_lead")
    # rater r of subject i takes the r-th entry of the row's counts spelled out
    spelled = [[categories[j] for j, n in enumerate(row) for _ in range(n)]
               for row in FLEISS_EXAMPLE]
    for r in range(14):
        reviewer = h.user(f"r{r:02d}")
        lease = h.lease(reviewer, "f", 10)
        assert len(lease["items"]) == 10
        h.post_decisions(reviewer, *(timed(item["id"], lease["lease_id"],
                                           spelled[items.index(item["id"])][r])
                                     for item in lease["items"]))
    queue = _row(report(h, qa)["queues"], queue="f")
    assert queue["overlap_kappa_method"] == "fleiss"
    assert queue["overlap_kappa"] == pytest.approx(0.210, abs=0.0005)
    assert queue["overlap_pairs"] == 10 * 14 * 13 // 2


def test_one_action_only_and_superseded_decisions(harness: Harness) -> None:
    h = harness
    h.queue("q", 3)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q", 3)
    ids = [item["id"] for item in lease["items"]]
    first = timed(ids[0], lease["lease_id"], "approve")
    h.post_decisions(alice, first, timed(ids[1], lease["lease_id"], "remove"))
    # QA says remove to the first decision; alice then changed it to remove herself
    post_verdicts(h, qa, verdict(first["decision_id"], "remove"))
    h.post_decisions(alice, timed(ids[0], lease["lease_id"], "remove",
                                  supersedes=first["decision_id"]))
    body = report(h, qa, reviewer="alice")
    assert body["overall"]["decisions"] == 2  # the superseded one does not count
    assert body["agreement"] == 1.0  # the verdict judged the latest decision: remove
    assert body["cohen_kappa"] is None
    assert body["overall"]["cohen_kappa_reason"] == ONE_ACTION
    assert body["confusion"] == {"remove": {"remove": 1}}


def test_handle_time_escalation_reveal_gold_and_date_range(harness: Harness) -> None:
    h = harness
    h.queue("q", 12)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q", 12)
    ids = [item["id"] for item in lease["items"]]
    actions = ["escalate", "escalate", *["approve"] * 4, *["remove"] * 4]
    made = [timed(ids[n], lease["lease_id"], actions[n], handle_ms=100 * (n + 1),
                  reveals=1 if n < 3 else 0) for n in range(10)]
    old = timed(ids[10], lease["lease_id"], "approve", handle_ms=99_999)
    h.post_decisions(alice, *made, old)
    # A decision of long ago: the server refuses client times far outside the lease, so
    # it is dated back in the database, as one made years ago would be.
    with h.db.writer() as session:
        session.execute(update(DecisionRecord)
                        .where(DecisionRecord.decision_id == old["decision_id"])
                        .values(decided_at=datetime(2020, 1, 1, tzinfo=UTC),
                                started_at=datetime(2019, 12, 31, 23, 58, 20, tzinfo=UTC)))
    mark_gold(h, qa, ids[2], "approve")  # alice approved: right
    mark_gold(h, qa, ids[9], "approve")  # alice removed: wrong
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    body = report(h, qa, since=since)
    row = _row(body["reviewers"], reviewer="alice")
    assert row["decisions"] == 10
    assert (row["handle_time_ms_p50"], row["handle_time_ms_p90"]) == (500, 900)
    assert row["escalation_rate"] == pytest.approx(0.2)
    assert row["reveal_rate"] == pytest.approx(0.3)
    assert (row["gold_decisions"], row["gold_accuracy"]) == (2, 0.5)
    assert row["agreement"] is None and row["agreement_reason"] == NO_VERDICTS
    everything = report(h, qa)["overall"]
    assert everything["decisions"] == 11 and everything["handle_time_ms_p90"] == 1000


def test_an_empty_report_says_why(harness: Harness) -> None:
    h = harness
    body = report(h, h.user("qa", "qa_lead"), queue="nothing-here")
    overall = body["overall"]
    assert overall["decisions"] == 0 and body["reviewers"] == [] and body["queues"] == []
    assert overall["agreement"] is None and overall["agreement_reason"] == NO_VERDICTS
    assert overall["escalation_rate"] is None and overall["handle_time_ms_p50"] is None
