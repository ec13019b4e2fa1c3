"""The real client through the fault proxy to the real server: a lost lease reply
strands nothing, and an empty queue or a failing server sees a handful of requests,
not a storm (counted at the proxy; upper bounds on requests, never on time)."""

from __future__ import annotations

import time
from typing import Any

from fault_proxy import FaultProxy
from net_helpers import free_items, lease_rows, reviewer_login
from server_harness import Harness

LEASES = "/leases"


def _poll(session: Any, seconds: float) -> None:
    """Ask the session to fill as often as the old status clock could: many times a
    second for `seconds` (each call makes a request only when its backoff allows)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        session.fill(min_ready=10)
        time.sleep(0.01)


def test_a_lease_reply_cut_mid_body_strands_no_item(net: Harness, proxy: FaultProxy,
                                                    workstation: Any) -> None:
    net.queue("q", 30)
    reviewer_login(workstation, proxy.url, net)
    session = workstation.start_review("q", background_sync=False)
    proxy.mode, proxy.cut_after = "cut", 300  # past the headers, inside the body

    assert session.fill(min_ready=10) == 0
    assert "retrying in" in session.leases.waiting()
    assert free_items(net, "q") == 10  # the server claimed 20 the client never saw

    proxy.mode = "pass"
    session.leases.retry_now()
    assert session.fill(min_ready=10) == 20  # the same request id: the same 20 items
    assert lease_rows(net, "rev") == 1
    assert free_items(net, "q") == 10
    assert session.leases.waiting() == ""


def test_an_empty_queue_is_polled_with_backoff(net: Harness, proxy: FaultProxy,
                                               workstation: Any) -> None:
    net.queue("q", 0)
    reviewer_login(workstation, proxy.url, net)
    session = workstation.start_review("q", background_sync=False)
    proxy.reset_counts()

    _poll(session, 3.0)

    assert proxy.count(LEASES) <= 2  # before: one per call, hundreds
    assert lease_rows(net) == 0
    assert session.leases.waiting().startswith("No items: checking again in")


def test_a_failing_server_is_retried_with_backoff(net: Harness, proxy: FaultProxy,
                                                  workstation: Any) -> None:
    net.queue("q", 30)
    reviewer_login(workstation, proxy.url, net)
    session = workstation.start_review("q", background_sync=False)
    proxy.mode = "error"
    proxy.reset_counts()

    _poll(session, 3.0)

    assert 1 <= proxy.count(LEASES) <= 3
    assert session.leases.waiting().startswith("Server error, retrying in")
    proxy.mode = "pass"
    session.leases.retry_now()  # F5
    assert session.fill(min_ready=10) == 20


def test_retry_after_is_honoured(net: Harness, proxy: FaultProxy, workstation: Any) -> None:
    net.queue("q", 30)
    reviewer_login(workstation, proxy.url, net)
    session = workstation.start_review("q", background_sync=False)
    proxy.mode, proxy.error_status, proxy.retry_after = "error", 503, 40
    proxy.reset_counts()

    _poll(session, 1.5)

    assert proxy.count(LEASES) == 1
    waiting = session.leases.waiting()
    assert waiting.startswith("Server busy, retrying in")
    assert int(waiting.split("retrying in ")[1].split(" ")[0]) >= 38


def test_the_sync_loop_backs_off_during_a_5xx_storm(net: Harness, proxy: FaultProxy,
                                                    workstation: Any) -> None:
    from reviewer.sync import SyncLoop

    net.queue("q", 30)
    reviewer_login(workstation, proxy.url, net)
    session = workstation.start_review("q", background_sync=False)
    session.fill(min_ready=10)
    action = next(a.id for a in session.taxonomy.actions if a.key == "1")
    for _ in range(3):
        session.decide(action)
    proxy.mode = "error"
    proxy.reset_counts()
    reports: list[Any] = []
    loop = SyncLoop(workstation.sync_engine(), reports.append, interval=0.05, settle=0.0)
    loop.start()
    try:
        end = time.monotonic() + 3.0
        while time.monotonic() < end:
            loop.poke()  # a reviewer deciding fast must not turn into a storm
            time.sleep(0.01)
    finally:
        loop.stop()
    assert 1 <= proxy.count("/decisions") <= 3
    assert reports and reports[-1].retry_in_s is not None and not reports[-1].online

    proxy.mode = "pass"
    assert workstation.sync_engine().sync_once().accepted == 3
