"""Sync through outages: queued decisions arrive exactly once; bad replies never crash."""

from __future__ import annotations

import random
import socket
import threading
import time
from datetime import UTC, datetime
from uuid import uuid4

import httpx
import pytest
from reviewer_helpers import client_as, decide_next, server_decisions

from reviewer.api import ApiClient
from reviewer.errors import (
    AuthExpired,
    Forbidden,
    MediaRejected,
    ProtocolError,
    RequestRejected,
    ServerUnavailable,
)
from reviewer.protocol import Decision
from reviewer.sync import Backoff, SyncEngine, SyncLoop


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_backoff_grows_with_jitter_up_to_cap_and_resets():
    backoff = Backoff(base=1.0, cap=60.0, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(10)]
    for n, delay in enumerate(delays):
        ceiling = min(60.0, 2.0 ** n)
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 60.0 and delays[-1] >= 30.0
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_outage_then_restart_delivers_each_decision_once(demo_ws, seeded_server):
    session = demo_ws.start_review("hate-speech", background_sync=False)
    engine = demo_ws.sync_engine()
    session.fill(min_ready=12)
    before = [decide_next(session) for _ in range(3)]
    assert engine.sync_once().accepted == 3

    seeded_server.stop()
    during = [decide_next(session) for _ in range(5)]  # cached items: work goes on
    report = engine.sync_once()
    assert report.online is False and report.accepted == 0
    status = session.status()
    assert status.online is False and status.pending_sync == 5
    assert session.fill(min_ready=30) >= 1  # offline: the cached lease, no crash

    reports = []
    loop = SyncLoop(engine, reports.append, interval=0.05, backoff=Backoff(base=0.05, cap=1))
    loop.start()
    try:
        _wait_for(lambda: len(reports) >= 3)
        offline = reports[:3]
        assert all(not r.online for r in offline)
        assert offline[2].retry_in_s > offline[0].retry_in_s  # backing off
        seeded_server.restart()
        loop.poke()
        _wait_for(lambda: reports[-1].online and session.status().pending_sync == 0)
    finally:
        loop.stop()
    assert session.status().online
    held = server_decisions(seeded_server)
    sent = {str(d.decision_id) for d in before + during}
    assert set(held) == sent and len(held) == 8
    # Sending them all again changes nothing: every one is a duplicate.
    replies = engine.api.send_decisions(before + during).results
    assert {r.status for r in replies} == {"duplicate"}


def test_rejected_decision_is_kept_and_shown(demo_ws, seeded_server):
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=2)
    item = session.current().item
    now = datetime.now(UTC)
    bogus = Decision(decision_id=uuid4(), item_id=item.id, lease_id="not-my-lease",
                     action="approve", started_at=now, decided_at=now)
    demo_ws.store.outbox_add(bogus, username="demo", queue="spam")
    report = demo_ws.sync_engine().sync_once()
    assert [r[0] for r in report.rejected] == [str(bogus.decision_id)]
    assert report.rejected[0][1]
    kept = session.rejected()
    assert [e.decision.decision_id for e in kept] == [bogus.decision_id]
    assert kept[0].reason and session.status().pending_sync == 0


def test_oversized_batch_falls_back_to_one_by_one(demo_ws, seeded_server):
    """40 decisions with 500 events each exceed the server's 1 MiB body cap (413): the
    engine sends them one at a time, so the good ones land and the bad are rejected."""
    session = demo_ws.start_review("spam", background_sync=False)
    session.fill(min_ready=5)
    good = [decide_next(session) for _ in range(5)]
    now = datetime.now(UTC)
    events = [{"at_ms": n, "type": "note"} for n in range(500)]
    fat = [Decision(decision_id=uuid4(), item_id=f"no-such-item-{n}", lease_id="L-x",
                    action="approve", started_at=now, decided_at=now, events=events)
           for n in range(40)]
    for decision in fat:
        demo_ws.store.outbox_add(decision, username="demo", queue="spam")
    report = demo_ws.sync_engine().sync_once()
    assert report.accepted == 5 and len(report.rejected) == 40
    assert set(server_decisions(seeded_server)) == {str(d.decision_id) for d in good}
    assert session.status().pending_sync == 0 and len(session.rejected()) == 40


def test_background_loop_syncs_after_decide(demo_ws, seeded_server):
    session = demo_ws.start_review("spam")  # starts the background sync
    reports = []
    loop = demo_ws.start_sync(reports.append)
    assert demo_ws.start_sync() is loop
    session.fill(min_ready=3)
    decision = decide_next(session)
    _wait_for(lambda: session.status().pending_sync == 0)
    assert str(decision.decision_id) in server_decisions(seeded_server)
    demo_ws.stop_sync()
    assert not loop.is_alive() and reports


def test_lease_renewed_when_half_gone(server_dirs, workstation):
    from reviewer_helpers import login_demo

    from server.embedded import EmbeddedServer

    server = EmbeddedServer(*server_dirs, lease_ttl=4.0).start()
    try:
        login_demo(workstation, server)
        session = workstation.start_review("spam", background_sync=False)
        session.fill(min_ready=3)
        engine = workstation.sync_engine()
        (lease,) = workstation.store.open_leases("spam", "demo")
        left = (lease.expires_at - datetime.now(UTC)).total_seconds()
        if left > 2.5:  # more than half left (unless this machine is very slow)
            assert engine.sync_once().leases_renewed == 0
        time.sleep(max(0.0, left - 1.7))  # now less than half of the 4 s is left
        report = engine.sync_once()
        assert report.leases_renewed == 1, report
        (renewed,) = workstation.store.open_leases("spam", "demo")
        assert renewed.expires_at > lease.expires_at
        decide_next(session)
        assert engine.sync_once().accepted == 1
    finally:
        server.stop()


# --- replies a real server would never send ---------------------------------------------


def _api(handler) -> ApiClient:
    return ApiClient("http://review.invalid", "t" * 20, transport=httpx.MockTransport(handler))


@pytest.mark.parametrize("reply", [
    httpx.Response(200, content=b"<html>not json</html>"),
    httpx.Response(200, json={"data": "nope", "count": -1}),
    httpx.Response(200, json={"data": [], "count": 0, "extra": "field"}),
    httpx.Response(200, json=[1, 2, 3]),
    httpx.Response(200, content=b"\xff\xfe\x00garbage"),
])
def test_malformed_reply_is_protocol_error(reply):
    with pytest.raises(ProtocolError) as info:
        _api(lambda request: reply).queues()
    assert info.value.message


@pytest.mark.parametrize(("status", "error"), [
    (401, AuthExpired), (403, Forbidden), (404, RequestRejected), (418, RequestRejected),
    (500, ServerUnavailable), (503, ServerUnavailable),
])
def test_error_statuses_map_to_types(status, error):
    api = _api(lambda request: httpx.Response(status, content=b"{broken json"))
    with pytest.raises(error):
        api.policy()


def test_server_detail_reaches_the_reviewer():
    body = {"error": "unknown_queue", "detail": "There is no queue named 'x'."}
    api = _api(lambda request: httpx.Response(404, json=body))
    with pytest.raises(RequestRejected) as info:
        api.lease("x")
    assert info.value.message == body["detail"] and info.value.status == 404


def test_media_hash_and_size_are_checked():
    sha = "0" * 64
    api = _api(lambda request: httpx.Response(200, content=b"not what was promised"))
    with pytest.raises(MediaRejected, match="fingerprint"):
        api.media(sha, "image/png")
    with pytest.raises(MediaRejected, match="larger"):
        api.media(sha, "image/png", max_bytes=5)


def test_sync_survives_malformed_reply(workstation):
    now = datetime.now(UTC)
    decision = Decision(decision_id=uuid4(), item_id="x-1", lease_id="L-1", action="approve",
                        started_at=now, decided_at=now)
    workstation.store.outbox_add(decision, username="demo", queue="spam")
    api = _api(lambda request: httpx.Response(200, json={"results": [{"oops": 1}]}))
    report = SyncEngine(workstation.store, api, "demo").sync_once()
    assert report.error and report.online and report.accepted == 0
    assert workstation.store.outbox_count_pending() == 1


def test_each_sync_round_checkpoints_the_local_store(workstation):
    """Automatic checkpoints are off (they would run inside a decision's commit), so the
    sync thread's round is what moves the WAL into the database file, online or not."""
    now = datetime.now(UTC)
    for n in range(200):
        decision = Decision(decision_id=uuid4(), item_id=f"x-{n}", lease_id="L-1",
                            action="approve", started_at=now, decided_at=now)
        workstation.store.outbox_add(decision, username="demo", queue="spam")
    database = workstation.store.path
    before = database.stat().st_size
    api = _api(lambda request: httpx.Response(503, json={"error": "busy", "detail": "later"}))

    report = SyncEngine(workstation.store, api, "demo").sync_once()

    assert not report.online
    assert database.stat().st_size > before
    assert workstation.store.outbox_count_pending() == 200


def test_server_vanishing_mid_request_is_unavailable():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def hang_up() -> None:
        conn, _ = listener.accept()
        conn.recv(1024)  # read the request, then vanish without answering
        conn.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        with pytest.raises(ServerUnavailable):
            ApiClient(f"http://127.0.0.1:{port}", "t" * 20).queues()
    finally:
        thread.join(5)
        listener.close()


def test_stopped_server_mid_session_is_unavailable(seeded_server):
    api = client_as(seeded_server, "demo")
    assert api.queues().count == 3  # the demo queues (their escalation tier is for seniors)
    seeded_server.stop()
    with pytest.raises(ServerUnavailable):
        api.queues()
