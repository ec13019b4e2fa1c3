"""Prometheus metrics at `/metrics`: requests and their latency by route template (counted
in this process), and the review state read from the database at scrape time (live leases,
leased items, decisions by status, sync lag), so every worker answers the same figures.

Several workers (`serve --workers N`) share request counters through prometheus-client's
multiprocess mode: `serve` sets PROMETHEUS_MULTIPROC_DIR before the workers start.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reviewer.protocol import API_PREFIX
from server.db import Database
from server.models import DecisionRecord, Item, Lease, utcnow

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: Sync lag is measured over the decisions received in this window (newest first, capped).
LAG_WINDOW = timedelta(minutes=5)
LAG_SAMPLE = 5000

REQUESTS = Counter("reviewer_http_requests_total", "HTTP requests answered",
                   ["method", "route", "status"])
LATENCY = Histogram("reviewer_http_request_duration_seconds", "Time to answer a request",
                    ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


class RequestMetrics:
    """Counts every HTTP request by method, route template (not the raw path: one series
    per route, whatever the ids) and status, and times it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status, route = 500, "unmatched"
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status, route
            if message["type"] == "http.response.start":
                status, route = message["status"], _route_template(scope)
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            method = scope["method"]
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    """The matched route's template with its prefix (`/api/v1/queues/{queue}/leases`);
    routers included under a prefix report their template without it."""
    template = getattr(scope.get("route"), "path", None)
    if template is None:
        return "unmatched"
    if scope["path"].startswith(API_PREFIX) and not template.startswith(API_PREFIX):
        template = API_PREFIX + template
    return str(template)


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class ReviewStateCollector:
    """Gauges read from the shared database when Prometheus scrapes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def describe(self) -> list[Metric]:
        return []  # collected per scrape: no database access at registration

    def collect(self) -> Iterator[Metric]:
        try:
            yield from self._collect()
        except SQLAlchemyError as exc:  # the scrape still answers: the request metrics
            log.warning("metrics: database unreachable (%s)", type(exc).__name__)
            yield GaugeMetricFamily("reviewer_database_up", "The database answered", value=0)

    def _collect(self) -> Iterator[Metric]:
        now = utcnow()
        with self.db.session() as session:
            live = session.scalar(select(func.count()).select_from(Lease).where(
                Lease.released_at.is_(None), Lease.expires_at > now)) or 0
            leased = session.scalar(select(func.count()).select_from(Item).where(
                Item.state == "pending", Item.lease_expires_at > now)) or 0
            by_status = session.execute(select(DecisionRecord.status, func.count())
                                        .group_by(DecisionRecord.status)).all()
            recent = session.execute(
                select(DecisionRecord.received_at, DecisionRecord.decided_at)
                .where(DecisionRecord.received_at >= now - LAG_WINDOW)
                .order_by(DecisionRecord.received_at.desc()).limit(LAG_SAMPLE)).all()
        yield GaugeMetricFamily("reviewer_database_up", "The database answered", value=1)
        yield GaugeMetricFamily("reviewer_leases_live", "Leases neither released nor expired",
                                value=live)
        yield GaugeMetricFamily("reviewer_items_leased", "Undecided items held by a live "
                                "lease (shared gold and overlap items not counted)",
                                value=leased)
        decisions = GaugeMetricFamily("reviewer_decisions_stored",
                                      "Decisions stored, by status", labels=["status"])
        for status, count in by_status:
            decisions.add_metric([status], count)
        yield decisions
        lag = GaugeMetricFamily(
            "reviewer_sync_lag_seconds", "Receipt time minus decided_at over the decisions "
            f"received in the last {int(LAG_WINDOW.total_seconds())} s", labels=["quantile"])
        lags = sorted(max(0.0, (received - decided).total_seconds())
                      for received, decided in recent)
        if lags:
            for q in (0.5, 0.99, 1.0):
                lag.add_metric([str(q)], _quantile(lags, q))
        yield lag
        yield GaugeMetricFamily("reviewer_sync_lag_sample", "Decisions the lag is taken over",
                                value=len(lags))


def metrics_endpoint(db: Database) -> Callable[[Request], Response]:
    """`GET /metrics`: this process's (or, with several workers, all workers') request
    metrics plus the review state from the database."""
    state = ReviewStateCollector(db)

    def metrics(_request: Request) -> Response:
        registry = CollectorRegistry()
        if os.environ.get(MULTIPROC_ENV):
            MultiProcessCollector(registry)
        else:
            registry.register(REQUESTS)
            registry.register(LATENCY)
        registry.register(state)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return metrics
