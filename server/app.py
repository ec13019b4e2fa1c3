"""The app factory: routes under `/api/v1`, JSON errors, a request body size cap, control
characters refused, an audit trail, throttled logins, private files; `/docs` only when
the settings ask for it (its page loads a script from a CDN, blank offline); `/healthz`,
`/readyz` and `/metrics` for operators (server.health, server.metrics).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI

from reviewer.protocol import API_PREFIX
from server.audit import AuditTrail
from server.audit_batch import AuditBatcher
from server.body_limit import BodySizeLimit
from server.config import ServerSettings
from server.contain_errors import ContainErrors
from server.db import POOL_SIZE, Database
from server.errors import install_error_handlers
from server.file_modes import secure_storage
from server.health import health_routes
from server.media_store import open_media_store
from server.metrics import RequestMetrics, metrics_endpoint
from server.routes import auth, decisions, items, leases, media, policy, qa, queues, wellness
from server.text_guard import RefuseControlCharacters
from server.throttle import LoginThrottle

ROUTERS = (auth, queues, leases, media, decisions, policy, wellness, qa, items)
REQUEST_THREADS = POOL_SIZE
"""Requests a process runs at once in its threadpool (the routes are synchronous). More
than its database connections only queue for one, and on a few cores more threads mostly
wait for the GIL; one waiting request costs nothing on the event loop."""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    # What start-up made (modules, mappers, routes, schemas: most of the heap) lives as
    # long as the process: out of the collector's sight, a full collection no longer
    # walks it, and one no longer stalls every request in flight for 60-70 ms.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        app.state.audit.stop()  # the rows of requests answered are committed already


def create_app(settings: ServerSettings, *, database: Database | None = None) -> FastAPI:
    """Build the server app; creates the schema of a new database, refuses (`SchemaBehind`)
    one an older release made."""
    secure_storage(settings.db_url, settings.data_dir)
    db = database or Database(settings.db_url, busy_timeout=settings.db_busy_timeout,
                                     strict=True)
    db.create_schema()
    docs = "/docs" if settings.api_docs else None
    app = FastAPI(title="Reviewer Workstation review server", version="1.0",
                  docs_url=docs, redoc_url=None, lifespan=_lifespan)
    app.state.settings = settings
    app.state.db = db
    app.state.media = open_media_store(settings.media_url, settings.data_dir,
                                       endpoint_url=settings.s3_endpoint_url)
    app.state.login_throttle = LoginThrottle(settings, db)
    app.state.audit = AuditBatcher(db)
    for module in ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    # Operators' endpoints, outside /api/v1 and without a token (server.health).
    app.router.routes.extend(health_routes(db))
    app.add_route("/metrics", metrics_endpoint(db), methods=["GET"], include_in_schema=False)
    install_error_handlers(app)

    ingest_path = f"{API_PREFIX}/items"

    def body_limit(method: str, path: str) -> int:
        if method == "POST" and path.rstrip("/") == ingest_path:
            return settings.max_ingest_bytes
        return settings.max_body_bytes

    # Outermost last: the audit sees every final status, 500s included.
    app.add_middleware(RefuseControlCharacters)
    app.add_middleware(BodySizeLimit, limit_for=body_limit)
    app.add_middleware(ContainErrors)
    app.add_middleware(AuditTrail, batcher=app.state.audit)
    app.add_middleware(RequestMetrics)
    return app


#: `serve --workers N` hands its settings to the workers in this variable (JSON).
SETTINGS_ENV = "REVIEWER_SERVER_SETTINGS"


def settings_to_environment(settings: ServerSettings) -> str:
    """The settings as the JSON `app_from_environment` reads back."""
    return json.dumps(dataclasses.asdict(settings), default=str)


def app_from_environment() -> FastAPI:
    """The app factory each uvicorn worker calls (`serve --workers N`): every worker is
    stateless, all shared state is in the database named by the settings."""
    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        raise RuntimeError(f"{SETTINGS_ENV} is not set: start workers with "
                           "`reviewer-server serve --workers N`")
    fields = json.loads(raw)
    fields["data_dir"] = Path(fields["data_dir"])
    return create_app(ServerSettings(**fields))
