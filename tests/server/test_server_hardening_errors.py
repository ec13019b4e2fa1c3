"""Errors that escape a route: a database error caused by input is a 4xx, anything else a
500 `ErrorReply` whose log line carries neither the exception's message nor SQL parameters
(no traceback text reaches uvicorn's log either: the app never re-raises).

The app is the real one from `create_app`, with one extra route per case that runs a real
failing statement on the real database, called in process through httpx's ASGI transport.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from server.app import create_app
from server.config import ServerSettings

NOTE = "a reviewer's note that must never be logged"


@pytest.fixture
async def client(backend_db_url: str, server_dirs: tuple[str, Path]
                 ) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(ServerSettings(db_url=backend_db_url, data_dir=server_dirs[1]))
    db = app.state.db

    def bad_cast() -> None:  # DataError on PostgreSQL, a plain value on SQLite
        with db.session() as session:
            value = session.execute(text("SELECT CAST(:v AS INTEGER) + 0"), {"v": NOTE})
            if db.is_sqlite:
                raise RuntimeError(f"stand-in failure carrying {NOTE} ({value.scalar()})")

    def broken() -> None:
        with db.session() as session:
            session.execute(text("SELECT * FROM no_such_table WHERE x = :v"), {"v": NOTE})

    app.add_api_route("/api/v1/test/bad-cast", bad_cast, methods=["POST"])
    app.add_api_route("/api/v1/test/broken", broken, methods=["POST"])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    db.dispose()


@pytest.mark.anyio
async def test_errors_become_json_without_leaking_parameters(
        client: httpx.AsyncClient, backend_db_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        cast = await client.post("/api/v1/test/bad-cast")
        broken = await client.post("/api/v1/test/broken")
    if backend_db_url.startswith("postgresql"):
        assert cast.status_code == 422 and cast.json()["error"] == "invalid_value"
    else:
        assert cast.status_code == 500
    assert broken.status_code == 500 and broken.json() == {
        "error": "internal_error", "detail": "The server failed to handle this request."}
    assert "ProgrammingError" in caplog.text or "OperationalError" in caplog.text
    assert NOTE not in caplog.text and NOTE not in cast.text + broken.text
