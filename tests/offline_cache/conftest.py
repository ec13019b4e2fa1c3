"""A real SQLite store file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_cache.store import LocalStore


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "local.db"


@pytest.fixture
def store(store_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore(store_path)
    yield opened
    opened.close()
