"""The app factory: routes under `/api/v1`, JSON errors, a request body size cap."""

from __future__ import annotations

from fastapi import FastAPI

from reviewer.protocol import API_PREFIX
from server.body_limit import BodySizeLimit
from server.config import ServerSettings
from server.db import Database
from server.errors import install_error_handlers
from server.media_store import MediaStore
from server.routes import auth, decisions, items, leases, media, policy, qa, queues, wellness

ROUTERS = (auth, queues, leases, media, decisions, policy, wellness, qa, items)


def create_app(settings: ServerSettings, *, database: Database | None = None) -> FastAPI:
    """Build the server app; creates the schema if it is missing."""
    db = database or Database(settings.db_url, busy_timeout=settings.db_busy_timeout,
                                     strict=True)
    db.create_schema()
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    app = FastAPI(title="Reviewer Workstation review server", version="1.0")
    app.state.settings = settings
    app.state.db = db
    app.state.media = MediaStore(settings.media_dir)
    for module in ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    install_error_handlers(app)

    ingest_path = f"{API_PREFIX}/items"

    def body_limit(method: str, path: str) -> int:
        if method == "POST" and path.rstrip("/") == ingest_path:
            return settings.max_ingest_bytes
        return settings.max_body_bytes

    app.add_middleware(BodySizeLimit, limit_for=body_limit)
    return app
