"""Fixtures of the reviewer tests: a seeded live server and a workstation on a temp dir.

Seeding (argon2 hashes, images) takes a second or two, so it runs once per test run
into a template; each test's server gets a fresh copy of that database and media.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reviewer_helpers import login_demo, seed_into

from reviewer.workstation import Workstation


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("seed-template")
    db_path, data_dir = root / "server.db", root / "server-data"
    summary = seed_into(f"sqlite:///{db_path}", data_dir)
    return db_path, data_dir, summary


@pytest.fixture
def server_dirs(tmp_path: Path, seeded_template) -> tuple[str, Path]:
    """Overrides the shared fixture: the server starts on a copy of the seeded template."""
    db_path, data_dir, _summary = seeded_template
    shutil.copyfile(db_path, tmp_path / "server.db")
    shutil.copytree(data_dir, tmp_path / "server-data")
    return f"sqlite:///{tmp_path / 'server.db'}", tmp_path / "server-data"


@pytest.fixture
def seeded_server(live_server, seeded_template):
    live_server.seed_summary = seeded_template[2]
    return live_server


@pytest.fixture
def workstation():
    ws = Workstation.open()
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def demo_ws(workstation, seeded_server) -> Workstation:
    """A workstation logged in as `demo` against the seeded server."""
    login_demo(workstation, seeded_server)
    return workstation
