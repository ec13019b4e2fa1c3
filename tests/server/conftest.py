"""Server test fixtures. Every server test that touches a database runs twice, on SQLite
and on PostgreSQL (a database in the session's throwaway cluster): `server_dirs` is
parametrized, and `live_server`, `harness` and `backend_harness` stand on it. Tests of
SQLite's own locking take `sqlite_dirs` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import new_database
from server_harness import Harness

from server.embedded import EmbeddedServer

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lease_ttl(seconds): lease length for backend_harness")


def _data_dir(tmp_path: Path) -> Path:
    data_dir = tmp_path / "server-data"
    data_dir.mkdir(exist_ok=True)
    return data_dir


@pytest.fixture
def sqlite_dirs(tmp_path: Path) -> tuple[str, Path]:
    """An SQLite URL and a data directory, for tests about SQLite itself."""
    return f"sqlite:///{tmp_path / 'server.db'}", _data_dir(tmp_path)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _database(backend: str, request: pytest.FixtureRequest, *, migrated: bool) -> str:
    if backend == "postgres":
        return new_database(request.getfixturevalue("postgres_cluster"), migrated=migrated)
    return f"sqlite:///{request.getfixturevalue('tmp_path') / 'server.db'}"


@pytest.fixture
def server_dirs(backend: str, request: pytest.FixtureRequest, tmp_path: Path
                ) -> tuple[str, Path]:
    """A database URL on this test's backend and a data directory. The PostgreSQL database
    is a copy of one already at the schema's head (a server would make it so on start);
    SQLite's is a new file that the server migrates."""
    return _database(backend, request, migrated=True), _data_dir(tmp_path)


@pytest.fixture
def backend_db_url(backend: str, request: pytest.FixtureRequest) -> str:
    """An empty database (no tables) on this test's backend, for tests of the schema."""
    return _database(backend, request, migrated=False)


@pytest.fixture
def backend_harness(request: pytest.FixtureRequest, server_dirs: tuple[str, Path]
                    ) -> Iterator[Harness]:
    """A harness with 1.5 s leases unless the test's `lease_ttl` marker says otherwise
    (plus its `server_settings`)."""
    db_url, data_dir = server_dirs
    marker = request.node.get_closest_marker("lease_ttl")
    extra = request.node.get_closest_marker("server_settings")
    settings = {"lease_ttl": marker.args[0] if marker else 1.5,
                **(extra.kwargs if extra else {})}
    server = EmbeddedServer(db_url, data_dir, **settings)
    server.start()
    h = Harness(server)
    try:
        yield h
    finally:
        h.close()
        server.stop(wait=False)  # uvicorn winds down in the background


@pytest.fixture
def harness(live_server: EmbeddedServer) -> Iterator[Harness]:
    """The `live_server` (on this test's backend) with factories for users, tokens,
    queues and leases."""
    h = Harness(live_server)
    yield h
    h.close()
