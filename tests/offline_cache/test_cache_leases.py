"""Cached leases and items: lease order, state transitions, forgetting, re-leasing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cache_factories import TAXONOMY, make_decision, make_lease

from offline_cache.store import LocalStore


def ids(store: LocalStore, queue: str = "hate-speech", user: str = "demo") -> list[str]:
    return [c.item.id for c in store.undecided_items(queue, user)]


def test_lease_round_trip(store: LocalStore):
    reply = make_lease("L1", ["a", "b", "c"])

    store.save_lease(reply, username="demo")

    [lease] = store.open_leases("hate-speech", "demo")
    assert (lease.lease_id, lease.queue, lease.taxonomy) == ("L1", "hate-speech", TAXONOMY)
    assert lease.expires_at == reply.expires_at and lease.expires_at.tzinfo is not None
    items = store.undecided_items("hate-speech", "demo")
    assert [c.item for c in items] == reply.items
    assert {(c.lease_id, c.state, c.error) for c in items} == {("L1", "undecided", None)}


def test_items_come_in_lease_order_across_leases(store: LocalStore):
    store.save_lease(make_lease("L1", ["z", "y"]), username="demo")
    store.save_lease(make_lease("L2", ["a", "b"]), username="demo")
    store.save_lease(make_lease("L3", ["s1"], queue="spam"), username="demo")
    store.save_lease(make_lease("L4", ["q"]), username="other")

    assert ids(store) == ["z", "y", "a", "b"]
    assert ids(store, "spam") == ["s1"]
    assert [lease.lease_id for lease in store.open_leases("hate-speech", "demo")] == ["L1", "L2"]
    assert [lease.lease_id for lease in store.open_leases(None, "demo")] == ["L1", "L2", "L3"]


def test_item_state_transitions(store: LocalStore):
    store.save_lease(make_lease("L1", ["a", "b", "c", "d"]), username="demo")

    store.set_item_state("a", "decided")
    store.set_item_state("b", "skipped")
    store.set_item_state("c", "broken", "The image is truncated.")

    awaiting = store.undecided_items("hate-speech", "demo")
    assert [(c.item.id, c.state, c.error) for c in awaiting] == [
        ("c", "broken", "The image is truncated."),
        ("d", "undecided", None),
    ]
    store.set_item_state("a", "undecided")  # undo brings it back, in its place
    assert ids(store) == ["a", "c", "d"]
    cached = store.cached_item("b")
    assert cached is not None and cached.state == "skipped"
    with pytest.raises(ValueError):
        store.set_item_state("a", "lost")  # type: ignore[arg-type]


def test_saving_the_same_lease_again_keeps_states(store: LocalStore):
    reply = make_lease("L1", ["a", "b"])
    store.save_lease(reply, username="demo")
    store.set_item_state("a", "decided")

    store.save_lease(reply, username="demo")

    assert ids(store) == ["b"]


def test_released_item_leased_again_awaits_a_decision(store: LocalStore):
    store.save_lease(make_lease("L1", ["a", "b"]), username="demo")
    store.set_item_state("a", "skipped")

    store.save_lease(make_lease("L2", ["a", "c"]), username="demo")

    assert ids(store) == ["b", "a", "c"]
    assert store.cached_item("a").lease_id == "L2"  # type: ignore[union-attr]


def test_update_lease_expiry(store: LocalStore):
    store.save_lease(make_lease("L1", ["a"]), username="demo")
    later = datetime.now(UTC) + timedelta(hours=2)

    store.update_lease_expiry("L1", later)

    [lease] = store.open_leases("hate-speech", "demo")
    assert lease.expires_at == later.replace(microsecond=later.microsecond)


def test_forget_lease_drops_items_but_not_decisions(store: LocalStore):
    store.save_lease(make_lease("L1", ["a", "b"]), username="demo")
    store.save_lease(make_lease("L2", ["c"]), username="demo")
    decision = make_decision("a", lease_id="L1")
    store.outbox_add(decision, username="demo", queue="hate-speech")

    store.forget_lease("L1")

    assert ids(store) == ["c"]
    assert [lease.lease_id for lease in store.open_leases("hate-speech", "demo")] == ["L2"]
    assert store.cached_item("a") is None
    assert store.outbox_pending() == [decision]


def test_leases_and_items_survive_reopening(store_path):
    with LocalStore(store_path) as first:
        first.save_lease(make_lease("L1", ["a", "b"]), username="demo")
        first.set_item_state("a", "broken", "The file is empty.")

    with LocalStore(store_path) as again:
        assert [(c.item.id, c.state) for c in again.undecided_items("hate-speech", "demo")] == [
            ("a", "broken"),
            ("b", "undecided"),
        ]
