"""Schema versions of the local store, and the migrations from each to the next.

The store records its schema version in its `settings` table (key `schema_version`),
where version 1 already wrote it. `open_schema` runs at every open, in ONE write
transaction:

- a new, empty file gets the current tables (`offline_cache.models`) and version;
- an older store runs each migration from its version up to the current one, then
  records the new version; if any step fails, SQLite rolls all of them back and the
  store stays at its old version with every row it had (`StoreUpgradeFailed`);
- a store written by a newer workstation is refused, untouched (`StoreTooNew`).

A migration is a plain function over a connection taking schema N to N + 1 with SQL
frozen here, never through the ORM models (they describe only the latest schema).
Append new ones; never edit one that has shipped. Version 1 is the schema of the first
release: the leases, items, outbox, exposure ledger, settings and policy tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from offline_cache.engine import StoreEngine, is_disk_full
from offline_cache.errors import StoreError, StoreTooNew, StoreUpgradeFailed
from offline_cache.models import Base
from offline_cache.settings import SCHEMA_VERSION_KEY

Migration = Callable[[Connection], None]


def add_verdict_outbox(c: Connection) -> None:
    """1 -> 2: the verdict outbox, where a QA lead's verdicts queue until the server
    answers them (issue 8)."""
    c.exec_driver_sql("""
        CREATE TABLE verdict_outbox (
            seq INTEGER NOT NULL,
            verdict_id VARCHAR(36) NOT NULL,
            decision_id VARCHAR(36) NOT NULL,
            username VARCHAR(64) NOT NULL,
            status VARCHAR(16) NOT NULL,
            reason TEXT,
            verdict_json TEXT NOT NULL,
            added_at DATETIME NOT NULL,
            answered_at DATETIME,
            PRIMARY KEY (seq),
            UNIQUE (verdict_id)
        )""")
    c.exec_driver_sql(
        "CREATE INDEX ix_verdict_outbox_decision_id ON verdict_outbox (decision_id)")
    c.exec_driver_sql(
        "CREATE INDEX ix_verdict_outbox_user_status ON verdict_outbox (username, status)")


def add_break_log(c: Connection) -> None:
    """2 -> 3: the break log, where the breaks a reviewer took wait for the server
    (issue 9: the wellness report counts breaks taken against breaks due)."""
    c.exec_driver_sql("""
        CREATE TABLE break_log (
            seq INTEGER NOT NULL,
            break_id VARCHAR(36) NOT NULL,
            username VARCHAR(64) NOT NULL,
            entry_json TEXT NOT NULL,
            synced BOOLEAN NOT NULL,
            PRIMARY KEY (seq),
            UNIQUE (break_id)
        )""")
    c.exec_driver_sql("CREATE INDEX ix_break_log_user_synced ON break_log (username, synced)")


# MIGRATIONS[n - 1] takes a store from schema n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (add_verdict_outbox, add_break_log)
SCHEMA_VERSION = 1 + len(MIGRATIONS)


def open_schema(db: StoreEngine, migrations: Sequence[Migration] | None = None) -> int:
    """Bring the store at `db` to the current schema (see the module doc); returns it."""
    migrations = MIGRATIONS if migrations is None else migrations
    target = 1 + len(migrations)
    with db.migrating() as c:
        found = stored_version(c)
        if found is None:
            Base.metadata.create_all(c)
        elif found > target:
            raise StoreTooNew(found, target, db.path)
        elif found < target:
            try:
                for version in range(found, target):
                    migrations[version - 1](c)
            except Exception as exc:
                if is_disk_full(exc):
                    raise  # StoreFull, from `migrating`
                raise StoreUpgradeFailed(found, target, db.path) from exc
        if found != target:
            c.exec_driver_sql(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (SCHEMA_VERSION_KEY, str(target)),
            )
    return target


def stored_version(c: Connection) -> int | None:
    """The schema version a store file records; None for a new, empty file."""
    tables = c.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").first()
    if tables is None:
        return None
    value = c.exec_driver_sql(
        "SELECT value FROM settings WHERE key = ?", (SCHEMA_VERSION_KEY,)).scalar()
    if value is None:
        # Version 1 created its tables, then recorded its version in a second
        # transaction: a crash in between left a version 1 store without the record.
        return 1
    try:
        return int(value)
    except ValueError:
        raise StoreError(
            f"This local store records an unknown schema version ({value!r}); it was "
            "left as it was. Please report this problem."
        ) from None
