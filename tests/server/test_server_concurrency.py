"""Concurrency on SQLite never turns into a 500: every write takes the write lock up front
(BEGIN IMMEDIATE) and waits for it; past the busy timeout the answer is 503 `busy`.
"""

from __future__ import annotations

import base64
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_harness import Harness, decision

from reviewer.protocol import API_PREFIX, ErrorReply
from server.db import Database
from server.embedded import EmbeddedServer
from server.media_gen import encode, synthetic_image
from server.media_store import LocalMediaStore as MediaStore
from server.models import Item, Queue

THREADS = 8


@cache
def shared_image() -> bytes:
    """Every ingester sends these bytes first, all at once: concurrent writes of one
    media file (large, so the writes overlap)."""
    return encode(synthetic_image(1000, 800, 99), "PNG")



DROPPED = 599
"""Stands for a request whose connection broke (the server crashed the request)."""


def _status(http: httpx.Client, method: str, url: str, **kwargs: Any) -> int:
    try:
        return http.request(method, url, **kwargs).status_code
    except httpx.TransportError:
        return DROPPED


def _run_together(jobs: list[Callable[[], list[int]]]) -> list[int]:
    """Start every job at the same moment; return every status code they saw."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], list[int]]) -> list[int]:
        barrier.wait()
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(run, jobs))
    return [status for statuses in results for status in statuses]


def _ingester(url: str, headers: dict[str, str], worker: int) -> Callable[[], list[int]]:
    def job() -> list[int]:
        statuses = []
        with httpx.Client(base_url=url + API_PREFIX, headers=headers, timeout=60) as http:
            for n in range(5):
                image = shared_image() if n == 0 else encode(
                    synthetic_image(64 + worker, 48 + n, worker * 10 + n), "PNG")
                statuses.append(_status(http, "POST", "/items", json={
                    "queue": "inbox", "kind": "image", "category": "test", "severity": n % 4,
                    "mime": "image/png", "media_base64": base64.b64encode(image).decode(),
                    "context": {"worker": str(worker), "n": str(n)},
                }))
        return statuses

    return job


def test_concurrent_ingest_never_fails(harness: Harness) -> None:
    harness.queue("inbox", 0)
    admin = harness.user("root", "admin")
    shared_image()
    statuses = _run_together([_ingester(harness.server.url, admin, w) for w in range(THREADS)])
    assert statuses == [201] * (THREADS * 5)
    with harness.db.session() as session:
        contexts = [item.context for item in session.query(Item).filter_by(queue="inbox")]
    assert sorted((c["worker"], c["n"]) for c in contexts) == sorted(
        (str(w), str(n)) for w in range(THREADS) for n in range(5))
    files = list((harness.server.data_dir / "media").glob("*/*"))
    assert len(files) == THREADS * 4 + 1, files  # no temporary file left behind


def _reviewer_job(h: Harness, name: str) -> Callable[[], list[int]]:
    headers = h.user(name)

    def job() -> list[int]:
        statuses = []
        with httpx.Client(base_url=h.server.url + API_PREFIX, headers=headers,
                          timeout=60) as http:
            for _ in range(3):
                try:
                    lease = http.post("/queues/busy/leases", json={"max_items": 3})
                except httpx.TransportError:
                    statuses.append(DROPPED)
                    continue
                statuses.append(lease.status_code)
                if lease.status_code != 200:
                    continue
                body = lease.json()
                decisions = [decision(item["id"], body["lease_id"]) for item in body["items"]]
                now = datetime.now(UTC).isoformat()
                entries = [{"entry_id": str(uuid.uuid4()), "item_id": item["id"],
                            "category": "test", "severity": 1, "mode": "hold",
                            "started_at": now, "duration_ms": 800} for item in body["items"]]
                if decisions:
                    statuses.append(_status(http, "POST", "/decisions",
                                            json={"decisions": decisions}))
                    statuses.append(_status(http, "POST", "/exposure",
                                            json={"entries": entries}))
                lease_url = f"/leases/{body['lease_id']}"
                statuses.append(_status(http, "POST", f"{lease_url}/renew"))
                statuses.append(_status(http, "DELETE", lease_url))
        return statuses

    return job

LOGIN_PASSWORD = secrets.token_urlsafe(16)  # fresh each run, never written down


def _login_job(url: str) -> Callable[[], list[int]]:
    def job() -> list[int]:
        with httpx.Client(base_url=url + API_PREFIX, timeout=60) as http:
            return [_status(http, "POST", "/auth/token",
                            json={"username": "pw-user", "password": LOGIN_PASSWORD})
                    for _ in range(3)]

    return job


def _policy_job(h: Harness) -> Callable[[], list[int]]:
    headers = h.user("coach", "wellness")

    def job() -> list[int]:
        with httpx.Client(base_url=h.server.url + API_PREFIX, headers=headers,
                          timeout=60) as http:
            return [_status(http, "PUT", f"/wellness/policies/team:t{n}",
                            json={"policy": {"daily_reveal_seconds_cap": 100 + n}})
                    for n in range(6)]

    return job


def test_concurrent_reviewers_leases_decisions_exposure_and_logins(harness: Harness) -> None:
    from server.accounts import create_user

    harness.queue("busy", 60)
    create_user(harness.server.db_url, "pw-user", LOGIN_PASSWORD, ["reviewer"])
    jobs = [_reviewer_job(harness, f"rev{n}") for n in range(6)]
    jobs += [_login_job(harness.server.url), _policy_job(harness)]
    statuses = _run_together(jobs)
    assert statuses and all(status < 500 for status in statuses), statuses
    assert set(statuses) <= {200, 201}, statuses


def _hold_write_lock(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_database_busy_past_the_timeout_is_503_with_retry_after(
        sqlite_dirs: tuple[str, Path]) -> None:
    db_url, data_dir = sqlite_dirs
    server = EmbeddedServer(db_url, data_dir, db_busy_timeout=0.3).start()
    h = Harness(server)
    try:
        h.queue("q", 2)
        admin, alice = h.user("root", "admin"), h.user("alice")
        item = {"queue": "q", "kind": "image", "category": "test", "mime": "image/png",
                "media_base64": base64.b64encode(b"\x89PNG fake").decode()}
        lock = _hold_write_lock(Path(db_url.removeprefix("sqlite:///")))
        try:
            for reply in (h.http.post("/items", json=item, headers=admin),
                          h.http.post("/queues/q/leases", json={"max_items": 1},
                                      headers=alice)):
                assert reply.status_code == 503, reply.text
                assert ErrorReply.model_validate(reply.json()).error == "busy"
                assert int(reply.headers["Retry-After"]) >= 1
            assert h.http.get("/queues", headers=alice).status_code == 200  # reads go on
        finally:
            lock.rollback()
            lock.close()
        assert h.http.post("/items", json=item, headers=admin).status_code == 201
    finally:
        h.close()
        server.stop()


def test_sqlite_connections_wait_for_the_lock(sqlite_dirs: tuple[str, Path]) -> None:
    db = Database(sqlite_dirs[0], busy_timeout=15)
    try:
        with db.session() as session:
            timeout = session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert timeout == 15000
    finally:
        db.dispose()


@pytest.mark.parametrize("write", ["orm_add", "orm_update", "sql_delete"])
def test_a_read_session_refuses_to_write(server_dirs: tuple[str, Path], write: str) -> None:
    """Writes in a deferred transaction can fail at once with `database is locked`;
    the server's read sessions refuse them so every write path uses `writer()`."""
    from sqlalchemy import delete

    from server.db import WriteOutsideWriter

    db = Database(server_dirs[0], strict=True)
    try:
        db.create_schema()
        with db.writer() as session:
            session.add(Queue(name="q", title="q", taxonomy={}))
        actions: dict[str, Callable[[Any], object]] = {
            "orm_add": lambda s: s.add(Queue(name="r", title="r", taxonomy={})),
            "orm_update": lambda s: setattr(s.get(Queue, "q"), "title", "changed"),
            "sql_delete": lambda s: s.execute(delete(Queue)),
        }
        with pytest.raises(WriteOutsideWriter), db.session() as session:
            actions[write](session)
            session.flush()
        with db.session() as session:
            assert [q.title for q in session.query(Queue)] == ["q"]
    finally:
        db.dispose()


def test_media_store_writes_one_file_from_many_threads_at_once(tmp_path: Path) -> None:
    """Concurrent ingests of the same bytes each write the same content-addressed file."""
    store = MediaStore(tmp_path / "media")
    data = bytes(range(256)) * 2048
    sha256 = MediaStore.sha256(data)
    rounds, threads = 30, 8
    barrier = threading.Barrier(threads, timeout=10)

    def write(_worker: int) -> None:
        try:
            for _ in range(rounds):
                barrier.wait()
                store.write_raw(sha256, data)
        except BaseException:
            barrier.abort()  # the other writers stop too, instead of waiting forever
            raise

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, range(threads)))
    assert store.path(sha256).read_bytes() == data
    assert [p.name for p in store.path(sha256).parent.iterdir()] == [sha256]
