"""Probes for a load balancer or an orchestrator, outside `/api/v1` (they are about the
process, not the review protocol) and without a token:

- `GET /healthz`: the process answers (liveness; no database access).
- `GET /readyz`: the database answers and its schema is at this server's head revision
  (readiness); 503 with the reason otherwise, never the error's text (it may hold a URL).
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server import migrations
from server.db import Database

log = logging.getLogger(__name__)


def _healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _readiness(db: Database) -> tuple[int, dict[str, str]]:
    try:
        with db.engine.connect() as conn:
            found = migrations.state(conn)
    except SQLAlchemyError as exc:
        log.warning("readyz: database unreachable (%s)", type(exc).__name__)
        return 503, {"status": "unavailable", "reason": "database unreachable"}
    if not found.current:
        return 503, {"status": "unavailable", "reason": "schema behind",
                     "revision": found.revision or "none", "head": found.head}
    return 200, {"status": "ready", "revision": found.head}


def health_routes(db: Database) -> list[Route]:
    def readyz(_request: Request) -> JSONResponse:
        status, body = _readiness(db)
        return JSONResponse(body, status_code=status)

    return [Route("/healthz", _healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"])]
