"""Server settings: where the database and media live, and how long leases and tokens last."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from reviewer.protocol import MAX_MEDIA_BYTES

APP_DIR_NAME = "reviewer-server"
ONE_MIB = 1024 * 1024
DEFAULT_BUSY_TIMEOUT = 15.0
"""Seconds a SQLite connection waits for the write lock before giving up (503 `busy`)."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_DIR_NAME))


def default_db_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'server.db'}"


def normalise_db_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and point them at psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class ServerSettings:
    db_url: str
    data_dir: Path
    lease_ttl: float = 15 * 60.0
    """Seconds a lease lasts before its undecided items go back to the queue."""
    token_ttl: float = 12 * 3600.0
    max_body_bytes: int = ONE_MIB
    """Every request body is capped here, except item ingest (base64 media)."""
    max_ingest_bytes: int = (MAX_MEDIA_BYTES * 4) // 3 + ONE_MIB
    db_busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    """Seconds to wait for a database lock before answering 503 `busy` (SQLite)."""
    max_held_items: int = 200
    """Undecided items one reviewer may hold at once; a lease beyond it is refused (409)."""
    offline_max_items: int = 400
    """Undecided items a reviewer may hold when taking a batch offline on purpose."""
    offline_lease_ttl: float = 10 * 3600.0
    """Seconds a lease taken offline on purpose lasts (a working day)."""

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"
