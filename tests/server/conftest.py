"""Server test fixtures: `harness` (a live server with factories, see server_harness.py),
and a throwaway PostgreSQL cluster when `initdb`/`pg_ctl` exist on the machine.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_harness import Harness, free_port

from server.embedded import EmbeddedServer

# --- PostgreSQL -------------------------------------------------------------------------


def _pg_runner() -> list[str] | str:
    """The command prefix that runs initdb/pg_ctl, or the reason it cannot run."""
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        return "initdb/pg_ctl are not on PATH"
    if os.geteuid() != 0:
        return []
    if not shutil.which("runuser"):
        return "running as root and runuser is missing (initdb refuses root)"
    if subprocess.run(["id", "pgtest"], capture_output=True).returncode != 0:
        made = subprocess.run(["useradd", "--system", "--no-create-home", "pgtest"],
                              capture_output=True)
        if made.returncode != 0:
            return "running as root and cannot create the unprivileged user pgtest"
    return ["runuser", "-u", "pgtest", "--"]


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields a URL prefix `postgresql+psycopg://...:PORT/`."""
    runner = _pg_runner()
    if isinstance(runner, str):
        pytest.skip(f"no PostgreSQL for tests: {runner}")
    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    data, port = root / "data", free_port()
    if runner:
        shutil.chown(root, "pgtest")
    run = [*runner]
    init = subprocess.run([*run, "initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
                           "-E", "UTF8"], capture_output=True, text=True)
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"initdb failed: {init.stderr[-500:]}")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    started = subprocess.run([*run, "pg_ctl", "-D", str(data), "-o", options, "-l",
                              str(root / "log"), "-w", "start"], capture_output=True, text=True)
    if started.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"pg_ctl start failed: {started.stderr[-500:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/"
    finally:
        subprocess.run([*run, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


_pg_databases = itertools.count()


def _new_pg_database(prefix: str) -> str:
    import psycopg

    name = f"review_{next(_pg_databases)}"
    admin_url = prefix.replace("postgresql+psycopg", "postgresql") + "postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return prefix + name


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lease_ttl(seconds): lease length for backend_harness")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_db_url(request: pytest.FixtureRequest, server_dirs: tuple[str, Path]) -> str:
    """An empty database on SQLite, then on PostgreSQL (a fresh one in the test cluster)."""
    if request.param == "postgres":
        return _new_pg_database(request.getfixturevalue("postgres_cluster"))
    return server_dirs[0]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_harness(request: pytest.FixtureRequest, server_dirs: tuple[str, Path]
                    ) -> Iterator[Harness]:
    """A harness on SQLite, then on PostgreSQL, with 1.5 s leases unless the test's
    `lease_ttl` marker says otherwise."""
    db_url, data_dir = server_dirs
    if request.param == "postgres":
        db_url = _new_pg_database(request.getfixturevalue("postgres_cluster"))
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
        server.stop()


@pytest.fixture
def harness(live_server: EmbeddedServer) -> Iterator[Harness]:
    """The shared `live_server` with factories for users, tokens, queues and leases."""
    h = Harness(live_server)
    yield h
    h.close()
