"""Operators' endpoints: `/healthz` (the process answers), `/readyz` (database reachable,
schema at head; 503 and the reason otherwise) and Prometheus `/metrics` (requests and
latency by route template, live leases, decisions by status, sync lag)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from alembic import command
from prometheus_client.parser import text_string_to_metric_families
from server_harness import Harness, decision
from sqlalchemy import create_engine

from server.db import Database
from server.health import _readiness
from server.metrics import ReviewStateCollector
from server.migrations import alembic_config, head_revision

LEASES_ROUTE = "/api/v1/queues/{queue}/leases"


def _samples(h: Harness) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    reply = httpx.get(f"{h.server.url}/metrics", timeout=20)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(reply.text) for s in family.samples}


def _lease_requests(samples: dict, status: str = "200") -> float:
    key = ("reviewer_http_requests_total",
           (("method", "POST"), ("route", LEASES_ROUTE), ("status", status)))
    return samples.get(key, 0.0)


def test_healthz_and_readyz_answer_without_a_token(backend_harness: Harness) -> None:
    h = backend_harness
    health = httpx.get(f"{h.server.url}/healthz", timeout=20)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = httpx.get(f"{h.server.url}/readyz", timeout=20)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "revision": head_revision()}


def test_readyz_says_unavailable_when_the_schema_falls_behind(backend_harness: Harness
                                                              ) -> None:
    h = backend_harness
    engine = create_engine(h.server.db_url)
    try:
        with engine.begin() as conn:  # as if another node's older release took over
            command.stamp(alembic_config(conn), "0001", purge=True)
        ready = httpx.get(f"{h.server.url}/readyz", timeout=20)
        assert ready.status_code == 503
        assert ready.json() == {"status": "unavailable", "reason": "schema behind",
                                "revision": "0001", "head": head_revision()}
        assert httpx.get(f"{h.server.url}/healthz", timeout=20).status_code == 200
    finally:
        with engine.begin() as conn:
            command.stamp(alembic_config(conn), "head", purge=True)
        engine.dispose()
    assert httpx.get(f"{h.server.url}/readyz", timeout=20).status_code == 200


def test_readiness_and_metrics_of_an_unreachable_database() -> None:
    db = Database("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    try:
        assert _readiness(db) == (503, {"status": "unavailable",
                                        "reason": "database unreachable"})
        families = list(ReviewStateCollector(db).collect())  # a scrape still answers
        assert [(f.name, [s.value for s in f.samples]) for f in families] == [
            ("reviewer_database_up", [0])]
    finally:
        db.dispose()


def test_metrics_count_requests_by_route_and_read_the_review_state(backend_harness: Harness
                                                                   ) -> None:
    h = backend_harness
    h.queue("q", 4)
    alice = h.user("alice")
    before = _samples(h)

    lease = h.lease(alice, "q", max_items=3)
    decided_at = datetime.now(UTC) - timedelta(seconds=90)  # decided offline, synced now
    late = decision(lease["items"][0]["id"], lease["lease_id"],
                    decided_at=decided_at.isoformat(),
                    started_at=(decided_at - timedelta(seconds=5)).isoformat())
    assert h.post_decisions(alice, late)[0]["status"] == "accepted"
    refused = h.http.post("/queues/q/leases", json={"max_items": 0}, headers=alice)
    assert refused.status_code == 422

    after = _samples(h)
    assert _lease_requests(after) - _lease_requests(before) == 1
    assert _lease_requests(after, "422") - _lease_requests(before, "422") == 1
    latency = ("reviewer_http_request_duration_seconds_count",
               (("method", "POST"), ("route", LEASES_ROUTE)))
    assert after[latency] - before.get(latency, 0.0) == 2
    assert after[("reviewer_database_up", ())] == 1
    assert after[("reviewer_leases_live", ())] == 1
    assert after[("reviewer_items_leased", ())] == 2  # three leased, one decided
    assert after[("reviewer_decisions_stored", (("status", "accepted"),))] == 1
    assert after[("reviewer_sync_lag_sample", ())] == 1
    lag = after[("reviewer_sync_lag_seconds", (("quantile", "0.5"),))]
    assert 90 <= lag < 90 + 60
    # No raw ids in route labels: one series per route template.
    assert not [key for key in after if "q/leases" in str(key)]
