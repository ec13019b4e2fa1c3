"""Schema migrations: a database made by the release before migrations (revision 0001's
schema, unversioned, holding data) is upgraded by `reviewer-server db upgrade` with its data
intact, on SQLite and PostgreSQL; start-up refuses a database that is behind and names the
command; the head revision matches the models exactly."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, insert, select

from server.app import create_app
from server.cli import main
from server.config import ServerSettings
from server.db import Database, SchemaBehind
from server.embedded import EmbeddedServer
from server.migrations import VERSION_TABLE, alembic_config, head_revision
from server.models import (
    Base,
    DecisionRecord,
    ExposureRecord,
    Item,
    Lease,
    LeaseItem,
    PolicyRecord,
    Queue,
    User,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC).replace(tzinfo=None)  # stored naive UTC


def _make_previous_release_database(url: str) -> str:
    """Revision 0001's schema without a version table (what the previous release's
    `create_all` made), holding a user, a queue, items, a live lease, decisions, exposure
    and a wellness policy. Returns the user's password hash (fresh, not a real hash)."""
    password_hash = secrets.token_hex(16)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0001")
            conn.exec_driver_sql(f"DROP TABLE {VERSION_TABLE}")
            old = MetaData()
            old.reflect(conn)
            t = old.tables
            conn.execute(insert(t["users"]).values(
                username="rita", password_hash=password_hash, roles=["reviewer"], teams=["a"],
                created_at=T0))
            conn.execute(insert(t["queues"]).values(
                name="q", title="Queue", sensitivity=2, taxonomy={"actions": ["allow"]}))
            for n, state, leased in ((1, "pending", True), (2, "decided", False),
                                     (3, "pending", False)):
                conn.execute(insert(t["items"]).values(
                    id=f"i{n}", queue="q", kind="text", text=f"text {n}", category="spam",
                    severity=1, context={"n": n}, created_at=T0, state=state,
                    lease_id="L1" if leased else None,
                    lease_expires_at=T0 + timedelta(minutes=15) if leased else None))
            conn.execute(insert(t["leases"]).values(
                id="L1", queue="q", reviewer="rita", created_at=T0,
                expires_at=T0 + timedelta(minutes=15)))
            conn.execute(insert(t["lease_items"]).values(lease_id="L1", item_id="i1"))
            conn.execute(insert(t["decisions"]).values(
                decision_id="d2", item_id="i2", lease_id="L0", reviewer="rita", queue="q",
                action="allow", labels=["x"], note="fine", status="accepted", started_at=T0,
                decided_at=T0 + timedelta(seconds=30), received_at=T0 + timedelta(seconds=31),
                events=[{"kind": "reveal"}], client="test/1"))
            conn.execute(insert(t["exposure"]).values(
                entry_id="e1", reviewer="rita", item_id="i2", category="spam", severity=1,
                mode="blurred", started_at=T0, duration_ms=1234))
            conn.execute(insert(t["wellness_policies"]).values(
                scope="global", policy={"daily_cap_minutes": 300}, updated_at=T0))
    finally:
        engine.dispose()
    return password_hash


def test_db_upgrade_brings_the_previous_release_database_to_head_with_its_data(
        backend_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    password_hash = _make_previous_release_database(backend_db_url)
    args = ["--db", backend_db_url, "--data-dir", str(tmp_path / "data")]

    assert main(["db", "upgrade", *args]) == 0
    assert f"to {head_revision()}" in capsys.readouterr().out
    db = Database(backend_db_url, strict=True)
    try:
        db.create_schema()  # at head now: start-up accepts it
        with db.session() as session:
            user = session.get(User, "rita")
            assert user is not None and user.password_hash == password_hash
            assert user.teams == ["a"] and user.disabled_at is None
            queue = session.get(Queue, "q")
            assert queue is not None and queue.taxonomy == {"actions": ["allow"]}
            assert queue.sensitivity == 2 and queue.gold_rate is None
            items = {i.id: i for i in session.scalars(select(Item))}
            assert {k: (i.state, i.text, i.context) for k, i in items.items()} == {
                "i1": ("pending", "text 1", {"n": 1}), "i2": ("decided", "text 2", {"n": 2}),
                "i3": ("pending", "text 3", {"n": 3})}
            assert items["i1"].lease_id == "L1" and items["i1"].share is None
            lease = session.get(Lease, "L1")
            assert lease is not None and lease.released_at is None and lease.request_id is None
            assert lease.expires_at == (T0 + timedelta(minutes=15)).replace(tzinfo=UTC)
            assert session.get(LeaseItem, ("L1", "i1")) is not None
            decision = session.get(DecisionRecord, "d2")
            assert decision is not None
            assert (decision.action, decision.labels, decision.note, decision.status,
                    decision.events, decision.handle_ms) == (
                "allow", ["x"], "fine", "accepted", [{"kind": "reveal"}], None)
            assert decision.decided_at == (T0 + timedelta(seconds=30)).replace(tzinfo=UTC)
            exposure = session.get(ExposureRecord, "e1")
            assert exposure is not None and exposure.duration_ms == 1234
            policy = session.get(PolicyRecord, "global")
            assert policy is not None and policy.policy == {"daily_cap_minutes": 300}
        with db.writer() as session:  # the new columns take writes
            item = session.get(Item, "i3")
            assert item is not None
            item.share = "gold"
    finally:
        db.dispose()

    assert main(["db", "upgrade", *args]) == 0  # again: nothing to do
    assert "already at revision" in capsys.readouterr().out


def test_start_up_refuses_a_database_that_is_behind(backend_db_url: str,
                                                    tmp_path: Path) -> None:
    _make_previous_release_database(backend_db_url)
    db = Database(backend_db_url, strict=True)
    try:
        with pytest.raises(SchemaBehind, match="reviewer-server db upgrade"):
            db.create_schema()
    finally:
        db.dispose()
    settings = ServerSettings(db_url=backend_db_url, data_dir=tmp_path / "data")
    with pytest.raises(SchemaBehind, match="reviewer-server db upgrade"):
        create_app(settings)

    # A versioned database one revision behind is refused just the same.
    engine = create_engine(backend_db_url)
    with engine.begin() as conn:
        command.stamp(alembic_config(conn), "0001")
    engine.dispose()
    with pytest.raises(SchemaBehind, match="at schema revision 0001"):
        create_app(settings)


def test_serve_says_which_command_to_run_for_a_database_that_is_behind(
        backend_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = backend_db_url
    _make_previous_release_database(url)
    code = main(["serve", "--db", url, "--data-dir", str(tmp_path / "data"), "--port", "0"])
    assert code == 2
    assert "reviewer-server db upgrade" in capsys.readouterr().err


def test_the_head_revision_matches_the_models(backend_db_url: str) -> None:
    db = Database(backend_db_url, strict=True)
    try:
        db.create_schema()  # a new database: the migrations up to head
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert context.get_current_revision() == head_revision()
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.dispose()


def test_db_upgrade_adopts_an_unversioned_database_that_already_matches_the_models(
        backend_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database made by the build just before migrations (which added columns at
    start-up) has today's tables and no version: it is stamped head, not migrated again."""
    engine = create_engine(backend_db_url)
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(Queue.__table__).values(
                name="q", title="Queue", sensitivity=1, taxonomy={}, gold_rate=0.05))
    finally:
        engine.dispose()
    db = Database(backend_db_url, strict=True)
    try:
        with pytest.raises(SchemaBehind, match="none"):
            db.create_schema()
        assert main(["db", "upgrade", "--db", backend_db_url,
                     "--data-dir", str(tmp_path / "data")]) == 0
        assert f"to {head_revision()}" in capsys.readouterr().out
        db.create_schema()
        with db.session() as session:
            queue = session.get(Queue, "q")
            assert queue is not None and queue.gold_rate == 0.05
    finally:
        db.dispose()


def test_an_embedded_server_may_upgrade_its_own_private_database(tmp_path: Path) -> None:
    """The demo's private SQLite file is migrated on start when asked; by default an
    embedded server refuses it like any other."""
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    _make_previous_release_database(url)
    with pytest.raises(SchemaBehind):
        EmbeddedServer(url, tmp_path / "data").start()
    with EmbeddedServer(url, tmp_path / "data", upgrade_schema=True) as server:
        ready = httpx.get(f"{server.url}/readyz", timeout=20)
        assert ready.status_code == 200 and ready.json()["revision"] == head_revision()
