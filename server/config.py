"""Server settings: where the database and media live, and how long leases and tokens last."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from reviewer.protocol import MAX_MEDIA_BYTES

APP_DIR_NAME = "reviewer-server"
ONE_MIB = 1024 * 1024
DEFAULT_BUSY_TIMEOUT = 15.0
"""Seconds a SQLite connection waits for the write lock before giving up (503 `busy`)."""
TIME_ZONE_ENV = "REVIEWER_SERVER_TIME_ZONE"


def _time_zone_from_env() -> str:
    return os.environ.get(TIME_ZONE_ENV, "UTC")


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
    """Seconds a bearer token lasts (`serve --token-ttl`); logout revokes it sooner."""
    max_body_bytes: int = ONE_MIB
    """Every request body is capped here, except item ingest (base64 media)."""
    max_ingest_bytes: int = (MAX_MEDIA_BYTES * 4) // 3 + ONE_MIB
    db_busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    """Seconds to wait for a database lock before answering 503 `busy` (SQLite)."""
    time_zone: str = field(default_factory=_time_zone_from_env)
    """The calendar days of the daily caps and the wellness report (an IANA name such as
    `Europe/Berlin`; `REVIEWER_SERVER_TIME_ZONE`, default UTC). Clients get it with the
    policy so they count the same day as the server."""

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.time_zone!r}: use an IANA name "
                             "such as UTC or Europe/Berlin") from exc

    login_failures_per_user: str = "5 per 5 minutes"
    """Failed logins one username may have (a `limits` rate string) before 429."""
    login_failures_per_address: str = "20 per 5 minutes"
    """Failed logins one client address may have before 429."""
    login_attempts_per_address: str = "60 per minute"
    """All logins one client address may try: a flood never reaches password hashing."""
    login_delay_step: float = 0.25
    """Seconds added to a failed login's reply per earlier failure (capped at 2 s)."""
    lease_max_age: float = 4 * 3600.0
    """Seconds from a lease's creation after which it is no longer renewed."""
    api_docs: bool = False
    """Serve `/docs` (assets from the server, never a CDN); off unless asked for."""
    max_held_items: int = 200
    """Undecided items one reviewer may hold at once; a lease beyond it is refused (409)."""
    offline_max_items: int = 400
    """Undecided items a reviewer may hold when taking a batch offline on purpose."""
    offline_lease_ttl: float = 10 * 3600.0
    """Seconds a lease taken offline on purpose lasts (a working day)."""

    media_url: str | None = None
    """Where media live: None for files under `data_dir/media`, or `s3://bucket/prefix` for
    an S3-compatible bucket (`serve --media-url`)."""
    s3_endpoint_url: str | None = None
    """The S3 endpoint (`--s3-endpoint-url`); else boto3's AWS_ENDPOINT_URL and AWS_* settings."""

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"
