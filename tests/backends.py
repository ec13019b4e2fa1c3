"""The databases the server tests run on: an SQLite file, or a database in a throwaway
PostgreSQL cluster (`initdb`/`pg_ctl` from the machine, run as the unprivileged user
`pgtest` when the tests run as root, since initdb refuses root).

A migrated template database is made once per cluster; `new_database(migrated=True)`
copies it (`CREATE DATABASE ... TEMPLATE`), which takes a few milliseconds where running
the migrations again would take most of a second per test.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMPLATE = "review_template"
_names = itertools.count()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_runner() -> list[str] | str:
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


class ClusterUnavailable(RuntimeError):
    """initdb or pg_ctl could not make or start a cluster; the message says why."""


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A PostgreSQL cluster in a temp dir, removed afterwards; yields the URL prefix
    `postgresql+psycopg://postgres@127.0.0.1:PORT/` (append a database name)."""
    runner = pg_runner()
    if isinstance(runner, str):
        raise ClusterUnavailable(runner)
    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    data, port = root / "data", free_port()
    if runner:
        shutil.chown(root, "pgtest")
    try:
        init = subprocess.run([*runner, "initdb", "-D", str(data), "-U", "postgres",
                               "--auth=trust", "-E", "UTF8"], capture_output=True, text=True)
        if init.returncode != 0:
            raise ClusterUnavailable(f"initdb failed: {init.stderr[-500:]}")
        options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        started = subprocess.run([*runner, "pg_ctl", "-D", str(data), "-o", options, "-l",
                                  str(root / "log"), "-w", "start"],
                                 capture_output=True, text=True)
        if started.returncode != 0:
            raise ClusterUnavailable(f"pg_ctl start failed: {started.stderr[-500:]}")
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/"
        finally:
            subprocess.run([*runner, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _admin(prefix: str, statement: str) -> None:
    import psycopg

    admin_url = prefix.replace("postgresql+psycopg", "postgresql") + "postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)


def _ensure_template(prefix: str) -> None:
    """Make the migrated template database, once per cluster."""
    import psycopg

    from server.db import Database

    admin_url = prefix.replace("postgresql+psycopg", "postgresql") + "postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                             (TEMPLATE,)).fetchone()
        if found:
            return
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    db = Database(prefix + TEMPLATE)
    try:
        db.create_schema()
    finally:
        db.dispose()  # a template with a connection open cannot be copied


def new_database(prefix: str, *, migrated: bool) -> str:
    """A new database in the cluster at `prefix`: empty, or at the schema's head."""
    name = f"review_{os.getpid()}_{next(_names)}"
    if migrated:
        _ensure_template(prefix)
        _admin(prefix, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    else:
        _admin(prefix, f"CREATE DATABASE {name}")
    return prefix + name
