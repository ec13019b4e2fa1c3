"""The disk: media of decided, synced items leaves the cache (the last few stay for
undo and history), the cache keeps under its cap, and a full store refuses a decision
with a sentence and takes it again, without a restart, once there is room."""

from __future__ import annotations

import time
from typing import Any

import pytest
from net_helpers import reviewer_login
from server_harness import Harness
from sqlalchemy import event

from reviewer.local_errors import LocalSaveFailed
from reviewer.media_cache import KEEP_RECENT_DECISIONS
from reviewer.protocol import display_media

NO_LIMIT = 1_073_741_823  # SQLite's default max_page_count


class PageLimit:
    """`PRAGMA max_page_count` on every connection of the store: SQLite then refuses
    writes past the limit with SQLITE_FULL, as on a full disk."""

    def __init__(self, store: Any) -> None:
        self.store, self.pages = store, NO_LIMIT
        event.listen(store._engine.pool, "checkout", self._checked_out)

    def _checked_out(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={self.pages}")

    def set(self, pages: int) -> None:
        self.pages = pages
        raw = self.store.db.decision_connection.connection.driver_connection
        raw.execute(f"PRAGMA max_page_count={pages}")

    def fill_up(self) -> None:
        """Limit the store to the pages it uses now."""
        raw = self.store.db.decision_connection.connection.driver_connection
        self.set(raw.execute("PRAGMA page_count").fetchone()[0])


def _blobs(vault: Any) -> set[str]:
    return {p.name.removesuffix(".media") for p in vault.directory.iterdir()
            if p.name.endswith(".media")}


def _sha(cached: Any) -> str:
    return display_media(cached.item).sha256


def test_media_of_decided_synced_items_leaves_the_cache(net: Harness, workstation: Any
                                                        ) -> None:
    net.queue("q", 60, images=60)
    reviewer_login(workstation, net.server.url, net)
    session = workstation.start_review("q", background_sync=False)
    session.fill(min_ready=10)
    action = next(a.id for a in session.taxonomy.actions if a.key == "1")
    decided = []
    for _ in range(25):
        if session.current() is None:
            session.fill(min_ready=10)
        decided.append(_sha(session.current()))
        session.decide(action)
    assert workstation.sync_engine().sync_once().accepted == 25

    session.fill(min_ready=10)

    kept = _blobs(workstation.vault)
    assert not set(decided[:-KEEP_RECENT_DECISIONS]) & kept  # decided and synced: gone
    assert set(decided[-KEEP_RECENT_DECISIONS:]) <= kept  # the last few stay for undo
    assert {_sha(c) for c in session.items()} <= kept  # every undecided item's media


def test_the_cache_stays_under_its_cap_keeping_what_review_needs(net: Harness,
                                                                 workstation: Any) -> None:
    net.queue("q", 40, images=40)
    reviewer_login(workstation, net.server.url, net)
    workstation.store.set_setting("media_cache_mb", "1")
    session = workstation.start_review("q", background_sync=False)
    assert session.leases.media_cap_bytes == 1024 * 1024
    session.leases.media_cap_bytes = 1  # smaller than what review needs
    session.fill(min_ready=10)
    action = next(a.id for a in session.taxonomy.actions if a.key == "1")
    for _ in range(12):
        session.decide(action)  # unsynced: their media must stay until sent

    session.fill(min_ready=10)

    needed = {_sha(c) for c in session.items()}
    assert _blobs(workstation.vault) - needed  # the 12 pending decisions' media stays
    assert len(_blobs(workstation.vault)) == len(needed) + 12


def test_a_full_store_refuses_a_decision_in_words_and_recovers(net: Harness,
                                                               workstation: Any) -> None:
    from reviewer.sync import SyncLoop

    net.queue("q", 30)
    reviewer_login(workstation, net.server.url, net)
    session = workstation.start_review("q", background_sync=False)
    session.fill(min_ready=10)
    action = next(a.id for a in session.taxonomy.actions if a.key == "1")
    session.decide(action)
    limit = PageLimit(workstation.store)
    limit.fill_up()
    current = session.current().item.id

    with pytest.raises(LocalSaveFailed) as refused:
        for _ in range(200):  # until a page is needed
            session.decide(action)
    assert "disk is full" in refused.value.message
    assert session.current() is not None  # the refused item is still there to decide
    reports: list[Any] = []
    loop = SyncLoop(workstation.sync_engine(), reports.append, interval=0.05, settle=0.0)
    loop.start()  # recording the server's answers needs room: the thread must survive
    try:
        deadline = time.monotonic() + 20
        while not any(r.failed for r in reports) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert loop.is_alive()

        limit.set(NO_LIMIT)  # space is back
        session.decide(action)
        loop.retry_now()
        deadline = time.monotonic() + 20
        while (workstation.store.outbox_count_pending(username="rev")
               and time.monotonic() < deadline):
            time.sleep(0.05)
        assert workstation.store.outbox_count_pending(username="rev") == 0
    finally:
        loop.stop()
    assert current != session.current().item.id


def test_a_change_on_a_full_store_says_so_and_the_old_decision_stands(net: Harness,
                                                                     workstation: Any) -> None:
    net.queue("q", 20)
    reviewer_login(workstation, net.server.url, net)
    session = workstation.start_review("q", background_sync=False)
    session.fill(min_ready=5)
    action = next(a.id for a in session.taxonomy.actions if a.key == "1")
    first = session.decide(action)
    limit = PageLimit(workstation.store)
    limit.fill_up()
    with pytest.raises(LocalSaveFailed) as refused:
        for _ in range(50):  # each change adds a row: soon a page is needed
            first = session.change(first.decision_id, "remove" if _ % 2 else action)
    assert "disk is full" in refused.value.message
    kept = workstation.store.latest_decision_on("rev", first.item_id)
    assert kept is not None and kept.decision.decision_id == first.decision_id

    limit.set(NO_LIMIT)  # space is back: the same change works
    changed = session.change(first.decision_id, "remove")
    assert workstation.store.latest_decision_on("rev", first.item_id).decision == changed
