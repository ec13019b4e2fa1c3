"""The decision outbox: durable, withdrawable until answered, kept for history, thread-safe."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from cache_factories import make_decision, make_lease

from offline_cache.store import LocalStore

ROOT = Path(__file__).resolve().parents[2]


def test_outbox_survives_reopening(store_path: Path):
    decisions = [make_decision(f"item-{n}") for n in range(3)]
    with LocalStore(store_path) as first:
        for d in decisions:
            first.outbox_add(d, username="demo", queue="hate-speech")

    with LocalStore(store_path) as again:
        assert again.outbox_pending() == decisions
        assert again.outbox_count_pending() == 3


def test_decision_survives_sigkill(store_path: Path):
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path[:0] = [{str(ROOT)!r}, {str(Path(__file__).parent)!r}]
        from cache_factories import make_decision
        from offline_cache.store import LocalStore
        store = LocalStore(__import__("pathlib").Path({str(store_path)!r}))
        decision = make_decision("killed-item")
        store.outbox_add(decision, username="demo", queue="spam")
        print(decision.decision_id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )

    assert done.returncode == -9, done.stderr
    with LocalStore(store_path) as after:
        [pending] = after.outbox_pending()
    assert str(pending.decision_id) == done.stdout.strip()


def test_adding_the_same_decision_twice_keeps_one(store: LocalStore):
    decision = make_decision()

    store.outbox_add(decision, username="demo", queue="spam")
    store.outbox_add(decision, username="demo", queue="spam")

    assert store.outbox_pending() == [decision]


def test_withdraw_only_while_unanswered(store: LocalStore):
    kept, withdrawn = make_decision("a"), make_decision("b")
    for d in (kept, withdrawn):
        store.outbox_add(d, username="demo", queue="spam")

    assert store.outbox_withdraw(withdrawn.decision_id) is True
    assert store.outbox_withdraw(withdrawn.decision_id) is False
    store.outbox_record_result(kept.decision_id, "accepted", None)
    assert store.outbox_withdraw(str(kept.decision_id)) is False
    assert [e.decision for e in store.recent_decisions("demo")] == [kept]


def test_recording_a_round_of_mixed_answers(store: LocalStore):
    made = [make_decision(f"item-{n}") for n in range(5)]
    for d in made:
        store.outbox_add(d, username="demo", queue="spam")
    stranger = make_decision("not-here")

    found = store.outbox_record_results([
        (made[0].decision_id, "accepted", None),
        (str(made[1].decision_id), "accepted", None),
        (made[2].decision_id, "duplicate", None),
        (made[3].decision_id, "rejected", "item not leased"),
        (stranger.decision_id, "accepted", None),
    ])

    assert found == 4
    entries = {d.decision_id: store.outbox_entry(d.decision_id) for d in made}
    statuses = {i: (e.status, e.reason) for i, e in entries.items() if e is not None}
    assert statuses == {
        made[0].decision_id: ("accepted", None),
        made[1].decision_id: ("accepted", None),
        made[2].decision_id: ("duplicate", None),
        made[3].decision_id: ("rejected", "item not leased"),
        made[4].decision_id: ("pending", None),
    }
    assert store.outbox_record_results([]) == 0


def test_record_result_keeps_the_row_for_history(store: LocalStore):
    accepted, rejected, pending = (make_decision(i) for i in ("a", "b", "c"))
    for d in (accepted, rejected, pending):
        store.outbox_add(d, username="demo", queue="spam")

    assert store.outbox_record_result(accepted.decision_id, "accepted", None)
    assert store.outbox_record_result(str(rejected.decision_id), "rejected", "item not leased")
    assert not store.outbox_record_result(make_decision().decision_id, "accepted", None)

    assert store.outbox_pending() == [pending]
    assert store.outbox_count_pending() == 1
    history = {e.decision.item_id: (e.status, e.reason) for e in store.recent_decisions("demo")}
    assert history == {
        "a": ("accepted", None),
        "b": ("rejected", "item not leased"),
        "c": ("pending", None),
    }
    [only_rejected] = store.recent_decisions("demo", status="rejected")
    assert only_rejected.decision == rejected


def test_recent_decisions_newest_first_per_user(store: LocalStore):
    mine = [make_decision(f"m{n}") for n in range(12)]
    for n, d in enumerate(mine):
        store.outbox_add(d, username="demo", queue="spam")
        if n == 5:
            store.outbox_add(make_decision("other"), username="someone", queue="spam")

    recent = store.recent_decisions("demo")

    assert [e.decision for e in recent] == list(reversed(mine))[:10]
    assert {e.queue for e in recent} == {"spam"}
    assert len(store.recent_decisions("demo", limit=3)) == 3
    assert store.outbox_count_pending() == 13
    assert store.outbox_count_pending(username="someone") == 1
    assert [d.item_id for d in store.outbox_pending(limit=2)] == ["m0", "m1"]
    assert [d.item_id for d in store.outbox_pending(username="someone")] == ["other"]


def test_concurrent_outbox_add_from_threads(store: LocalStore):
    per_thread, threads_n = 15, 6
    made = [[make_decision(f"t{t}-{n}") for n in range(per_thread)] for t in range(threads_n)]
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    def add_all(batch: list) -> None:
        start.wait()
        try:
            for d in batch:
                store.outbox_add(d, username="demo", queue="spam")
                store.outbox_count_pending()
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=add_all, args=(batch,)) for batch in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    pending = store.outbox_pending(limit=1000)
    assert len(pending) == per_thread * threads_n
    assert {d.decision_id for d in pending} == {d.decision_id for b in made for d in b}
    for batch in made:  # each thread's decisions stay in the order it added them
        ids = [d.decision_id for d in pending if d.decision_id in {x.decision_id for x in batch}]
        assert ids == [d.decision_id for d in batch]


def test_outbox_entry_and_latest_decision_on_an_item(store: LocalStore):
    first, second, other = make_decision("i1"), make_decision("i1"), make_decision("i2")
    for decision in (first, second, other):
        store.outbox_add(decision, username="alice", queue="q")
    store.outbox_record_result(second.decision_id, "rejected", "no")

    assert store.outbox_entry(first.decision_id).decision == first
    assert store.outbox_entry(first.decision_id, username="bob") is None
    assert store.latest_decision_on("alice", "i1").decision == first  # the rejected one skipped
    assert store.latest_decision_on("bob", "i1") is None


def test_decisions_per_item_since_counts_rows_per_item(store: LocalStore):
    from datetime import UTC, datetime, timedelta

    before = datetime.now(UTC) - timedelta(seconds=1)
    for item in ("i1", "i1", "i2"):
        store.outbox_add(make_decision(item), username="alice", queue="q")
    store.outbox_add(make_decision("i3"), username="bob", queue="q")

    assert store.decisions_per_item_since("alice", before) == {"i1": 2, "i2": 1}
    assert store.decisions_per_item_since("alice", before + timedelta(hours=1)) == {}


def test_withdraw_gives_the_item_its_state_back_in_the_same_transaction(store: LocalStore):
    store.save_lease(make_lease("L1", ["i1"]), username="demo")
    decision = make_decision("i1")
    store.outbox_add(decision, username="demo", queue="hate-speech", item_state="decided")
    assert store.undecided_items("hate-speech", "demo") == []

    assert store.outbox_withdraw(decision.decision_id, item_state="undecided") is True
    assert [c.item.id for c in store.undecided_items("hate-speech", "demo")] == ["i1"]

    store.outbox_add(decision, username="demo", queue="hate-speech", item_state="decided")
    store.outbox_record_result(decision.decision_id, "accepted")
    assert store.outbox_withdraw(decision.decision_id, item_state="undecided") is False
    assert store.undecided_items("hate-speech", "demo") == []  # answered: item untouched


def test_replace_withdraws_and_adds_in_one_transaction(store: LocalStore):
    store.save_lease(make_lease("L1", ["item-1", "item-2"]), username="demo")
    pending, answered = make_decision("item-1"), make_decision("item-2")
    for d in (pending, answered):
        store.outbox_add(d, username="demo", queue="spam", item_state="decided")
    store.outbox_record_result(answered.decision_id, "accepted")
    asked: list[bool] = []

    def replacement_of(old):
        def make(withdrawn: bool):
            asked.append(withdrawn)
            return make_decision(old.item_id, action="remove").model_copy(
                update={"supersedes": None if withdrawn else old.decision_id})
        return make

    new, withdrawn = store.outbox_replace(pending.decision_id, replacement_of(pending),
                                          username="demo", queue="spam", item_state="decided")
    assert withdrawn and asked == [True]
    assert store.outbox_entry(pending.decision_id) is None
    assert store.outbox_entry(new.decision_id).decision.supersedes is None  # type: ignore[union-attr]

    later, withdrawn = store.outbox_replace(answered.decision_id, replacement_of(answered),
                                            username="demo", queue="spam", item_state="skipped")
    assert not withdrawn and asked == [True, False]
    assert store.outbox_entry(answered.decision_id).status == "accepted"  # type: ignore[union-attr]
    assert store.outbox_entry(later.decision_id).decision.supersedes == answered.decision_id  # type: ignore[union-attr]
    assert store.cached_item("item-2").state == "skipped"  # type: ignore[union-attr]


def test_a_failed_replace_keeps_the_old_decision(store: LocalStore):
    old = make_decision("item-1")
    store.outbox_add(old, username="demo", queue="spam")

    def broken(_withdrawn: bool):
        raise RuntimeError("the replacement could not be built")

    with pytest.raises(RuntimeError):
        store.outbox_replace(old.decision_id, broken, username="demo", queue="spam",
                             item_state="decided")
    assert [d.decision_id for d in store.outbox_pending()] == [old.decision_id]
