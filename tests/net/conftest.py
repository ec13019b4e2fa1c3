"""Fixtures of the network tests: a live server with factories (the server tests'
Harness), a fault proxy in front of it, a real Workstation and Qt workers.

The server runs on SQLite with settings from the test's `server_settings(...)` marker
(e.g. `max_held_items=5`); the proxy forwards to it until a test sets a fault.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SERVER_TESTS = Path(__file__).resolve().parent.parent / "server"
sys.path.insert(0, str(SERVER_TESTS))

from backends import new_database  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402
from server_harness import Harness  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server_settings(**kw): ServerSettings for net_server")


@pytest.fixture
def net_server(request: pytest.FixtureRequest, server_dirs: tuple[str, Path]) -> Iterator[Any]:
    from server.embedded import EmbeddedServer

    marker = request.node.get_closest_marker("server_settings")
    server = EmbeddedServer(*server_dirs, **(marker.kwargs if marker else {}))
    server.start()
    try:
        yield server
    finally:
        server.stop(wait=False)  # uvicorn winds down in the background


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_net(request: pytest.FixtureRequest, server_dirs: tuple[str, Path]
                ) -> Iterator[Harness]:
    """A harness on SQLite, then on PostgreSQL, with the `server_settings` marker's."""
    from server.embedded import EmbeddedServer

    db_url, data_dir = server_dirs
    if request.param == "postgres":
        db_url = new_database(request.getfixturevalue("postgres_cluster"), migrated=True)
    marker = request.node.get_closest_marker("server_settings")
    server = EmbeddedServer(db_url, data_dir, **(marker.kwargs if marker else {}))
    server.start()
    h = Harness(server)
    try:
        yield h
    finally:
        h.close()
        server.stop(wait=False)  # uvicorn winds down in the background


@pytest.fixture
def net(net_server: Any) -> Iterator[Harness]:
    h = Harness(net_server)
    yield h
    h.close()


@pytest.fixture
def proxy(net_server: Any) -> Iterator[FaultProxy]:
    p = FaultProxy(int(net_server.url.rsplit(":", 1)[1]))
    yield p
    p.close()


@pytest.fixture
def workstation(isolated_keyring: Any) -> Iterator[Any]:
    from reviewer.workstation import Workstation

    ws = Workstation.open()
    yield ws
    ws.close()


@pytest.fixture
def workers(qapp: Any) -> Iterator[Any]:
    from ui.workers import Workers

    pool = Workers()
    yield pool
    pool.shutdown()

