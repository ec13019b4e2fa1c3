"""Taking a batch offline on purpose: a larger batch (bounded by the server) with a
longer lease, kept on quit, never shortened by a renewal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from net_helpers import free_items, reviewer_login
from server_harness import Harness

from reviewer.clock import as_utc

OFFLINE = {"max_held_items": 20, "offline_max_items": 150, "lease_ttl": 60,
           "offline_lease_ttl": 3600}


@pytest.mark.server_settings(**OFFLINE)
def test_a_batch_taken_offline_is_larger_longer_and_kept_on_quit(net: Harness,
                                                                 workstation: Any) -> None:
    net.queue("q", 200)
    reviewer_login(workstation, net.server.url, net)

    batch = workstation.take_batch_offline("q", 300)

    assert batch.items == 150  # the server's bound, over two leases of at most 100
    assert len(batch.lease_ids) == 2
    assert as_utc(batch.expires_at) > datetime.now(UTC) + timedelta(minutes=50)
    assert workstation.offline_leases() == set(batch.lease_ids)
    assert workstation.release_leases() == []  # taken offline on purpose: kept
    assert free_items(net, "q") == 50
    renewed = workstation.api.renew_lease(batch.lease_ids[0])
    assert as_utc(renewed.expires_at) >= as_utc(batch.expires_at)  # never shortened

    session = workstation.start_review("q", background_sync=False)
    assert len(session.items()) == 150


@pytest.mark.server_settings(**OFFLINE)
def test_the_queue_picker_takes_a_batch_offline_and_starts(qtbot: Any, net: Harness,
                                                           workstation: Any,
                                                           workers: Any) -> None:
    from ui.review.queue_picker import QueuePicker

    net.queue("q", 40)
    reviewer_login(workstation, net.server.url, net)
    picker = QueuePicker(workstation, workers)
    qtbot.addWidget(picker)
    qtbot.waitUntil(lambda: picker.list.count() == 1, timeout=10000)
    with qtbot.waitSignal(picker.accepted, timeout=10000):
        picker.take_offline.click()
    assert picker.chosen == "q" and picker.took_offline.items == 40
    assert free_items(net, "q") == 0
