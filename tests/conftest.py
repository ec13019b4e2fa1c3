"""Shared test set-up: Qt offscreen, a real keyring backend in a temp dir, a live server,
and a throwaway PostgreSQL cluster for the tests that run on both databases.

Every test gets its own data directory and keyring file, so nothing a test writes
survives it and nothing on the developer's machine leaks into it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import ClusterUnavailable, throwaway_cluster

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point `keyring` at keyrings.alt's file backend inside this test's temp dir."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    keyring_dir = tmp_path / "keyring"
    keyring_dir.mkdir()
    backend = PlaintextKeyring()
    backend.file_path = str(keyring_dir / "keyring_pass.cfg")  # type: ignore[misc]
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("REVIEWER_ALLOW_FILE_KEYRING", "1")
    monkeypatch.setenv("REVIEWER_DATA_DIR", str(tmp_path / "client-data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield keyring_dir
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the whole run; yields the URL prefix
    `postgresql+psycopg://...:PORT/` (see `backends.new_database`)."""
    try:
        with throwaway_cluster() as prefix:
            yield prefix
    except ClusterUnavailable as why:
        if os.environ.get("REVIEWER_REQUIRE_POSTGRES"):  # set by .ci/run: never skip there
            pytest.fail(f"PostgreSQL is required and cannot run: {why}")
        pytest.skip(f"no PostgreSQL for tests: {why}")


@pytest.fixture
def server_dirs(tmp_path: Path) -> tuple[str, Path]:
    """An SQLite URL and a data directory for a throwaway review server."""
    data_dir = tmp_path / "server-data"
    data_dir.mkdir()
    return f"sqlite:///{tmp_path / 'server.db'}", data_dir


def server_settings(request: pytest.FixtureRequest) -> dict:
    """Extra `ServerSettings` from a test's `server_settings(**fields)` marker."""
    marker = request.node.get_closest_marker("server_settings")
    return dict(marker.kwargs) if marker else {}


@pytest.fixture
def live_server(server_dirs: tuple[str, Path], request: pytest.FixtureRequest):
    """A real review server on 127.0.0.1 at a free port, schema created, nothing seeded
    (settings from the test's `server_settings` marker)."""
    from server.embedded import EmbeddedServer

    db_url, data_dir = server_dirs
    server = EmbeddedServer(db_url, data_dir, **server_settings(request))
    server.start()
    try:
        yield server
    finally:
        server.stop(wait=False)  # uvicorn winds down in the background
