"""The server's schema as alembic revisions (0001 = the release before migrations, then one
revision per schema change). `upgrade` brings a database to the head revision; `state`
says where a database stands, so start-up can refuse one that is behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

#: The revision of the schema the release before migrations created (no alembic_version).
BASELINE = "0001"
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """A config reading the revisions shipped inside the package; migrations run on
    `connection` (env.py refuses to run without one)."""
    config = Config()
    config.set_main_option("script_location", "server:migrations")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands: `empty` (no tables), else its revision (None: unversioned,
    made before migrations) against the head this code needs."""

    empty: bool
    revision: str | None
    head: str

    @property
    def current(self) -> bool:
        return not self.empty and self.revision == self.head


def state(connection: Connection) -> SchemaState:
    tables = set(inspect(connection).get_table_names()) - {VERSION_TABLE}
    revision = MigrationContext.configure(connection).get_current_revision()
    return SchemaState(empty=not tables, revision=revision, head=head_revision())


def matches_models(connection: Connection) -> bool:
    """Whether the database's tables are exactly the models' (alembic's comparison)."""
    from server.models import Base

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return not compare_metadata(context, Base.metadata)


def upgrade(connection: Connection) -> tuple[str | None, str]:
    """Bring the database on `connection` to head inside its transaction; returns (from,
    to). An unversioned database with tables was made before migrations: one that already
    matches the models (a build just before migrations, which added columns at start-up)
    is stamped head; any other is taken as the baseline release's and stamped 0001."""
    before = state(connection)
    config = alembic_config(connection)
    if before.revision is None and not before.empty:
        command.stamp(config, before.head if matches_models(connection) else BASELINE)
    command.upgrade(config, "head")
    return before.revision, before.head
