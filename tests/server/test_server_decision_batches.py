"""A decision batch judged in one pass (`server.services.decision_batch`), on SQLite and
PostgreSQL: decisions of one batch see the ones before them, each is answered alone."""

from __future__ import annotations

import pytest
from server_harness import Harness, decision

from server.models import DecisionRecord, Item
from server.queue_admin import QueueChange, set_queue
from server.services import decision_batch
from server.services.escalation import WITHDRAWN


def _state(h: Harness, item_id: str) -> tuple[str, str | None]:
    with h.db.session() as session:
        item = session.get(Item, item_id)
        assert item is not None
        return item.state, item.lease_id


def _stored(h: Harness) -> set[str]:
    with h.db.session() as session:
        return set(session.scalars(DecisionRecord.__table__.select().with_only_columns(
            DecisionRecord.decision_id)))


def test_the_same_item_twice_in_a_batch_sees_the_first_decision(backend_harness: Harness
                                                                ) -> None:
    h = backend_harness
    h.queue("q", 2)
    alice = h.user("alice")
    lease = h.lease(alice, "q")
    skipped, decided = (entry["id"] for entry in lease["items"])
    results = h.post_decisions(
        alice,
        decision(skipped, lease["lease_id"], "skip"),
        decision(skipped, lease["lease_id"], "approve"),  # the skip gave the item back
        decision(decided, lease["lease_id"], "approve"),
        decision(decided, lease["lease_id"], "remove"),  # still held: counts as before
    )
    assert [r["status"] for r in results] == ["accepted", "late", "accepted", "accepted"]
    assert _state(h, skipped) == ("pending", None)
    assert _state(h, decided) == ("decided", lease["lease_id"])
    assert len(_stored(h)) == 4


def test_supersede_chains_within_a_batch(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 1)
    alice = h.user("alice")
    lease = h.lease(alice, "q")
    item, lid = lease["items"][0]["id"], lease["lease_id"]
    first = decision(item, lid, "approve")
    second = decision(item, lid, "remove", supersedes=first["decision_id"])
    third = decision(item, lid, "approve", supersedes=second["decision_id"])
    rival = decision(item, lid, "remove", supersedes=first["decision_id"])
    bad = decision(item, lid, labels=["made_up"])
    on_bad = decision(item, lid, supersedes=bad["decision_id"])
    results = h.post_decisions(alice, first, second, third, rival, bad, on_bad)
    assert [r["status"] for r in results] == ["accepted"] * 3 + ["rejected"] * 3
    assert f"already replaced by {second['decision_id']}" in results[3]["reason"]
    assert "supersedes names no earlier decision" in results[5]["reason"]
    # a decision superseding one in the batch before it, and one superseding in a later
    # batch, follow the same rule
    again = decision(item, lid, "remove", supersedes=third["decision_id"])
    assert h.post_decisions(alice, again)[0]["status"] == "accepted"


def test_duplicates_and_rejections_are_answered_beside_accepted_ones(
        backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 4)
    alice, bob = h.user("alice"), h.user("bob")
    lease, theirs = h.lease(alice, "q", 3), h.lease(bob, "q", 1)
    a, b, c = (entry["id"] for entry in lease["items"])
    lid = lease["lease_id"]
    stored = decision(a, lid)
    assert h.post_decisions(alice, stored)[0]["status"] == "accepted"
    fresh = decision(b, lid)
    batch = [
        stored,  # already stored
        fresh,
        decision(theirs["items"][0]["id"], lid),  # never leased to alice
        fresh,  # the same id twice in one batch
        decision(c, lid, "delete_everything"),
        decision(c, lid, "remove"),
    ]
    results = h.post_decisions(alice, *batch)
    assert [r["status"] for r in results] == [
        "duplicate", "accepted", "rejected", "duplicate", "rejected", "accepted"]
    assert [r["decision_id"] for r in results] == [d["decision_id"] for d in batch]
    assert "never leased to you" in results[2]["reason"]
    assert "not in the taxonomy" in results[4]["reason"]
    assert len(_stored(h)) == 3
    assert _state(h, theirs["items"][0]["id"]) == ("pending", theirs["lease_id"])


def test_an_id_a_concurrent_request_stored_first_ends_duplicate(
        backend_harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch is judged before a rival commits the same id: the multi-row INSERT
    skips it (ON CONFLICT DO NOTHING) and the batch is judged again, that id a duplicate,
    the others kept."""
    h = backend_harness
    h.queue("q", 2)
    alice = h.user("alice")
    lease = h.lease(alice, "q")
    first, second = (decision(entry["id"], lease["lease_id"]) for entry in lease["items"])
    assert h.post_decisions(alice, first)[0]["status"] == "accepted"
    real_load, calls = decision_batch._load, []

    def stale_load(session, decisions, reviewer):  # noqa: ANN001, ANN202
        known = real_load(session, decisions, reviewer)
        calls.append(1)
        if len(calls) == 1:  # as if the rival had not committed yet
            known.stored.discard(first["decision_id"])
        return known

    monkeypatch.setattr(decision_batch, "_load", stale_load)
    results = h.post_decisions(alice, first, second)
    assert [r["status"] for r in results] == ["duplicate", "accepted"]
    assert len(calls) == 2
    assert _stored(h) == {first["decision_id"], second["decision_id"]}
    assert _state(h, lease["items"][1]["id"])[0] == "decided"


def test_an_escalate_undone_in_the_same_batch_is_withdrawn(backend_harness: Harness) -> None:
    h = backend_harness
    [original] = h.queue("q", 1)
    h.queue("tier", 0)
    set_queue(h.db, "q", QueueChange(escalation_queue="tier"))
    alice = h.user("alice")
    lease = h.lease(alice, "q")
    first = decision(original, lease["lease_id"], "escalate", labels=["spam"])
    undo = decision(original, lease["lease_id"], "approve", supersedes=first["decision_id"])
    again = decision(original, lease["lease_id"], "escalate", supersedes=undo["decision_id"])
    results = h.post_decisions(alice, first, undo, again)
    assert [r["status"] for r in results] == ["accepted"] * 3
    with h.db.session() as session:
        withdrawn = session.get(Item, f"esc-{first['decision_id']}")
        live = session.get(Item, f"esc-{again['decision_id']}")
        assert withdrawn is not None and withdrawn.state == WITHDRAWN
        assert live is not None and live.state == "pending" and live.queue == "tier"
