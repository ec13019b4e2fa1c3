"""The verdict outbox: a QA lead's verdicts queue durably and are answered once, like
decisions."""

from __future__ import annotations

import pytest
from cache_factories import make_decision, make_verdict

from offline_cache.store import LocalStore


def test_verdicts_wait_in_order_per_lead_and_survive_reopening(store_path):
    mine = [make_verdict() for _ in range(4)]
    with LocalStore(store_path) as store:
        for n, v in enumerate(mine):
            store.verdict_add(v, username="lead")
            if n == 1:
                store.verdict_add(make_verdict(), username="other-lead")
        store.verdict_add(mine[0], username="lead")  # idempotent by verdict id

        assert store.verdicts_pending(username="lead") == mine
        assert store.verdicts_pending(2, username="lead") == mine[:2]
        assert store.verdict_count_pending(username="lead") == 4
        assert store.verdict_count_pending(username="other-lead") == 1

    with LocalStore(store_path) as again:
        assert again.verdicts_pending(username="lead") == mine


def test_recording_a_round_of_answers_keeps_verdicts_for_history(store: LocalStore):
    made = [make_verdict() for _ in range(4)]
    for v in made:
        store.verdict_add(v, username="lead")
    stranger = make_verdict()

    found = store.verdict_record_results([
        (made[0].verdict_id, "accepted", None),
        (str(made[1].verdict_id), "duplicate", None),
        (made[2].verdict_id, "rejected", "decision not found"),
        (stranger.verdict_id, "accepted", None),
    ])

    assert found == 3
    assert store.verdicts_pending(username="lead") == [made[3]]
    assert store.verdict_count_pending(username="lead") == 1
    assert [(e.verdict, e.status, e.reason) for e in store.verdicts_recent("lead")] == [
        (made[3], "pending", None),
        (made[2], "rejected", "decision not found"),
        (made[1], "duplicate", None),
        (made[0], "accepted", None),
    ]
    assert len(store.verdicts_recent("lead", limit=2)) == 2
    assert store.verdicts_recent("nobody") == []
    assert store.verdict_record_results([]) == 0


def test_a_verdict_answer_must_be_one_the_server_gives(store: LocalStore):
    verdict = make_verdict()
    store.verdict_add(verdict, username="lead")

    with pytest.raises(ValueError):
        store.verdict_record_results([(verdict.verdict_id, "late", None)])
    assert store.verdicts_pending(username="lead") == [verdict]


def test_verdicts_and_decisions_live_apart(store: LocalStore):
    decision = make_decision("i1")
    store.outbox_add(decision, username="lead", queue="spam")
    store.verdict_add(verdict := make_verdict(decision), username="lead")

    assert store.outbox_pending() == [decision]
    assert store.verdicts_pending(username="lead") == [verdict]
    assert store.outbox_record_results([(verdict.verdict_id, "accepted", None)]) == 0
    assert store.verdict_record_results([(decision.decision_id, "accepted", None)]) == 0
