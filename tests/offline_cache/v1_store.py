"""A local store file exactly as the first release (schema 1) wrote it, for upgrade tests.

The DDL is frozen here as SQLAlchemy emitted it for schema 1 (copied, whitespace aside, from
`sqlite_master` of a store made by that release); rows are written with plain SQL in
the formats that release used: naive UTC times "YYYY-MM-DD HH:MM:SS.ffffff", booleans
as 0/1, protocol models as their JSON. The version record came in a second transaction,
after the tables (`record_version=False` builds a store that crashed in between).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from reviewer.protocol import Decision, ExposureEntry, LeaseReply, PolicyReply, display_media

V1_DDL = [
    """CREATE TABLE settings (
        "key" VARCHAR(200) NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY ("key")
)""",
    """CREATE TABLE policy (
        id INTEGER NOT NULL,
        reply_json TEXT NOT NULL,
        saved_at DATETIME NOT NULL,
        PRIMARY KEY (id)
)""",
    """CREATE TABLE leases (
        seq INTEGER NOT NULL,
        lease_id VARCHAR(64) NOT NULL,
        queue VARCHAR(64) NOT NULL,
        username VARCHAR(64) NOT NULL,
        expires_at DATETIME NOT NULL,
        taxonomy_json TEXT NOT NULL,
        PRIMARY KEY (seq),
        UNIQUE (lease_id)
)""",
    "CREATE INDEX ix_leases_username ON leases (username)",
    "CREATE INDEX ix_leases_queue ON leases (queue)",
    """CREATE TABLE outbox (
        seq INTEGER NOT NULL,
        decision_id VARCHAR(36) NOT NULL,
        username VARCHAR(64) NOT NULL,
        queue VARCHAR(64) NOT NULL,
        item_id VARCHAR(64) NOT NULL,
        status VARCHAR(16) NOT NULL,
        reason TEXT,
        decision_json TEXT NOT NULL,
        added_at DATETIME NOT NULL,
        answered_at DATETIME,
        PRIMARY KEY (seq),
        UNIQUE (decision_id)
)""",
    "CREATE INDEX ix_outbox_item_id ON outbox (item_id)",
    "CREATE INDEX ix_outbox_username ON outbox (username)",
    "CREATE INDEX ix_outbox_status ON outbox (status)",
    """CREATE TABLE exposure_ledger (
        seq INTEGER NOT NULL,
        entry_id VARCHAR(36) NOT NULL,
        username VARCHAR(64) NOT NULL,
        item_id VARCHAR(64) NOT NULL,
        started_at DATETIME NOT NULL,
        duration_ms INTEGER NOT NULL,
        synced BOOLEAN NOT NULL,
        entry_json TEXT NOT NULL,
        PRIMARY KEY (seq),
        UNIQUE (entry_id)
)""",
    "CREATE INDEX ix_exposure_ledger_synced ON exposure_ledger (synced)",
    "CREATE INDEX ix_ledger_user_item ON exposure_ledger (username, item_id)",
    "CREATE INDEX ix_ledger_user_started ON exposure_ledger (username, started_at)",
    """CREATE TABLE items (
        item_id VARCHAR(64) NOT NULL,
        lease_id VARCHAR(64) NOT NULL,
        position INTEGER NOT NULL,
        queue VARCHAR(64) NOT NULL,
        username VARCHAR(64) NOT NULL,
        state VARCHAR(16) NOT NULL,
        error TEXT,
        media_sha256 VARCHAR(64),
        item_json TEXT NOT NULL,
        PRIMARY KEY (item_id),
        FOREIGN KEY(lease_id) REFERENCES leases (lease_id) ON DELETE CASCADE
)""",
    "CREATE INDEX ix_items_media_sha256 ON items (media_sha256)",
    "CREATE INDEX ix_items_queue_user_state ON items (queue, username, state)",
    "CREATE INDEX ix_items_lease_id ON items (lease_id)",
]


def v1_time(value: datetime | None = None) -> str:
    value = value or datetime.now(UTC)
    return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


class V1Store:
    """Write a schema 1 store file at `path`; use as a context manager."""

    def __init__(self, path: Path, *, record_version: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("BEGIN")
        for statement in V1_DDL:
            self.db.execute(statement)
        self.db.execute("COMMIT")
        if record_version:
            self.db.execute("INSERT INTO settings VALUES ('schema_version', '1')")

    def __enter__(self) -> V1Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.db.close()

    def setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO settings VALUES (?, ?)", (key, value))

    def policy(self, reply: PolicyReply) -> None:
        self.db.execute("INSERT INTO policy VALUES (1, ?, ?)",
                        (reply.model_dump_json(), v1_time()))

    def lease(self, reply: LeaseReply, username: str, states: dict[str, str]) -> None:
        self.db.execute(
            "INSERT INTO leases (lease_id, queue, username, expires_at, taxonomy_json) "
            "VALUES (?, ?, ?, ?, ?)",
            (reply.lease_id, reply.queue, username, v1_time(reply.expires_at),
             reply.taxonomy.model_dump_json()),
        )
        for position, item in enumerate(reply.items):
            shown = display_media(item)
            self.db.execute(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                (item.id, reply.lease_id, position, item.queue, username,
                 states.get(item.id, "undecided"), shown.sha256 if shown else None,
                 item.model_dump_json()),
            )

    def decision(self, decision: Decision, username: str, queue: str,
                 status: str = "pending", reason: str | None = None) -> None:
        answered = None if status == "pending" else v1_time()
        self.db.execute(
            "INSERT INTO outbox (decision_id, username, queue, item_id, status, reason, "
            "decision_json, added_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(decision.decision_id), username, queue, decision.item_id, status, reason,
             decision.model_dump_json(), v1_time(), answered),
        )

    def exposure(self, entry: ExposureEntry, username: str, *, synced: bool) -> None:
        self.db.execute(
            "INSERT INTO exposure_ledger (entry_id, username, item_id, started_at, "
            "duration_ms, synced, entry_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (str(entry.entry_id), username, entry.item_id, v1_time(entry.started_at),
             entry.duration_ms, int(synced), entry.model_dump_json()),
        )
