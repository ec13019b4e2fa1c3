"""The server's files are the operator's alone: the data and media directories 0700, the
SQLite database (and the WAL and shared-memory files SQLite makes beside it, which take
the database file's mode) 0600. Content and notes live there.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from server.config import normalise_db_url


def sqlite_path(db_url: str) -> Path | None:
    url = make_url(normalise_db_url(db_url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


log = logging.getLogger(__name__)


def _chmod(path: Path, mode: int) -> None:
    """Tighten a mode; a path owned by someone else is left as it is, with a warning."""
    try:
        os.chmod(path, mode)
    except PermissionError:
        log.warning("cannot restrict %s to %o: not its owner", path, mode)


def private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _chmod(path, 0o700)


def secure_storage(db_url: str, data_dir: Path) -> None:
    """Create (or tighten) the data directory, its media directory and the SQLite file."""
    private_dir(data_dir)
    private_dir(data_dir / "media")
    path = sqlite_path(db_url)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for companion in (path, path.with_name(path.name + "-wal"),
                      path.with_name(path.name + "-shm")):
        if companion.exists():
            _chmod(companion, 0o600)
