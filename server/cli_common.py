"""What every administration command shares: where the data lives, and the audit entry
each change leaves."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from server.audit import record_event
from server.config import default_data_dir, default_db_url
from server.db import Database
from server.file_modes import secure_storage


def locations(args: argparse.Namespace) -> tuple[str, Path]:
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    db_url = args.db or default_db_url(data_dir)
    secure_storage(db_url, data_dir)
    return db_url, data_dir


def audit_cli(db_url: str, action: str, target: str, outcome: str) -> None:
    """Record an administration command (best effort: the command's own result stands)."""
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        record_event(db, actor=f"cli:{getpass.getuser()}", action=action, target=target,
                     outcome=outcome)
    finally:
        db.dispose()
