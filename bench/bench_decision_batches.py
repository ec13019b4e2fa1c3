"""Benchmark: one client syncing 10,000 decisions in batches of 200 on PostgreSQL.

Starts a throwaway PostgreSQL cluster (as `bench_qa_report.py` does), and for each of
the two write paths a fresh database: a reviewer, a token, a queue and 10,000 items
leased to the reviewer (leases of 200 items and their assignments) bulk-inserted with
SQL, then the real server (in-process uvicorn, over HTTP) receives the decisions as one
client would sync them, batch after batch. `old` is the per-decision path with a savepoint
each (`decisions._record_one_by_one`, kept as the fallback), `new` the one-pass batch
(`decision_batch`). Every tenth batch also carries a skip, a superseding decision and a
repeat of an already stored id. Target: >= 2,000 decisions/s. Prints figures; asserts
nothing.

`--server-process` serves the `new` path from a `reviewer-server serve` process of its
own, as a workstation syncs to a server: in-process, the client's encoding and the
server's work take turns on one interpreter lock. (`old` stays in-process: it is chosen
by replacing the route's function.)

    python bench/bench_decision_batches.py [--decisions 10000] [--batch 200] [--paths old,new]
        [--server-process]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_qa_report import postgres  # noqa: E402
from bench_server_load import _free_port  # noqa: E402

from reviewer.protocol import API_PREFIX  # noqa: E402
from server.db import Database  # noqa: E402
from server.embedded import EmbeddedServer  # noqa: E402
from server.models import AccessToken, Item, Lease, LeaseItem, Queue, User  # noqa: E402
from server.routes import decisions as decisions_route  # noqa: E402
from server.security import new_token  # noqa: E402
from server.services import decisions  # noqa: E402
from server.services.taxonomy import DEFAULT_TAXONOMY  # noqa: E402

REVIEWER = "alice"


def _fixture(url: str, count: int, batch: int) -> tuple[str, list[tuple[str, str]]]:
    """Bulk-insert the data; return the bearer token and (item, lease) pairs in order."""
    db = Database(url)
    db.create_schema()
    now = datetime.now(UTC)
    token, hashed = new_token()
    pairs = [(f"q-{n:06d}", f"L-{n // batch:04d}") for n in range(count)]
    with db.writer() as session:
        session.execute(insert(User), [{"username": REVIEWER, "password_hash": "x",
                                        "roles": ["reviewer"], "teams": [],
                                        "created_at": now}])
        session.execute(insert(AccessToken), [{"token_hash": hashed, "username": REVIEWER,
                                               "expires_at": now + timedelta(hours=2)}])
        session.execute(insert(Queue), [{"name": "q", "title": "q", "sensitivity": 1,
                                         "taxonomy": DEFAULT_TAXONOMY}])
        session.execute(insert(Lease), [
            {"id": lease, "queue": "q", "reviewer": REVIEWER, "created_at": now,
             "expires_at": now + timedelta(hours=2)} for lease in sorted({p[1] for p in pairs})])
        session.execute(insert(Item), [
            {"id": item, "queue": "q", "kind": "text", "text": "t", "category": "c",
             "severity": 1, "context": {}, "created_at": now - timedelta(days=1),
             "state": "pending", "lease_id": lease, "lease_expires_at": now + timedelta(hours=2)}
            for item, lease in pairs])
        session.execute(insert(LeaseItem), [{"lease_id": lease, "item_id": item, "share": None}
                                            for item, lease in pairs])
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    db.dispose()
    return token, pairs


def _decision(item: str, lease: str, action: str = "approve", **extra: object) -> dict:
    now = datetime.now(UTC).isoformat()
    return {"decision_id": str(uuid.uuid4()), "item_id": item, "lease_id": lease,
            "action": action, "labels": [], "started_at": now, "decided_at": now,
            "client": "bench", "events": [{"at_ms": 0, "type": "shown"},
                                          {"at_ms": 700, "type": "reveal_start"},
                                          {"at_ms": 900, "type": "decided", "action": action}],
            **extra}


def _batches(pairs: list[tuple[str, str]], size: int) -> list[list[dict]]:
    batches, previous = [], None
    for start in range(0, len(pairs), size):
        chunk = pairs[start:start + size]
        batch = [_decision(item, lease, "skip" if n == 5 and start % (10 * size) == 0
                           else "approve") for n, (item, lease) in enumerate(chunk)]
        if start % (10 * size) == 0 and len(batch) > 3:
            first = batch[0]  # a change after the first decision, in the same batch
            batch[1] = _decision(first["item_id"], first["lease_id"], "remove",
                                 supersedes=first["decision_id"])
            if previous is not None:
                batch[2] = previous  # a repeat of a stored id: duplicate
        previous = batch[-1]
        batches.append(batch)
    return batches


@contextmanager
def _served(url: str, own_process: bool) -> Iterator[str]:
    """The server's base URL: in this process (uvicorn in a thread), or `serve` apart."""
    data = Path(tempfile.mkdtemp(prefix="bench-dec-"))
    if not own_process:
        server = EmbeddedServer(url, data, lease_ttl=7200)
        server.start()
        try:
            yield server.url
        finally:
            server.stop()
        return
    port = _free_port()
    tool = str(Path(sys.executable).parent / "reviewer-server")
    proc = subprocess.Popen([tool, "serve", "--db", url, "--data-dir", str(data), "--port",
                             str(port), "--lease-ttl", "7200"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with suppress(httpx.HTTPError):
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("reviewer-server serve did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


def _run(url: str, path: str, count: int, size: int, own_process: bool) -> None:
    token, pairs = _fixture(url, count, size)
    batches = _batches(pairs, size)
    sent = sum(len(b) for b in batches)
    original = decisions_route.record_decisions
    if path == "old":
        decisions_route.record_decisions = decisions._record_one_by_one  # type: ignore[assignment]
        own_process = False
    statuses: Counter[str] = Counter()
    try:
        with _served(url, own_process) as base, httpx.Client(
                base_url=base + API_PREFIX, timeout=60,
                headers={"Authorization": f"Bearer {token}"}) as http:
            times = []
            started = time.perf_counter()
            for batch in batches:
                t0 = time.perf_counter()
                reply = http.post("/decisions", json={"decisions": batch})
                times.append(time.perf_counter() - t0)
                reply.raise_for_status()
                statuses.update(r["status"] for r in reply.json()["results"])
            elapsed = time.perf_counter() - started
    finally:
        decisions_route.record_decisions = original
    db = Database(url)
    with db.session() as session:
        stored = session.scalar(text("SELECT count(*) FROM decisions"))
        decided = session.scalar(text("SELECT count(*) FROM items WHERE state = 'decided'"))
    db.dispose()
    times.sort()
    where = " (server in its own process)" if own_process else ""
    print(f"{path:>3}{where}: {sent} decisions in {len(batches)} batches of {size}: "
          f"{elapsed:6.2f} s, "
          f"{sent / elapsed:7.0f} decisions/s; per batch median {times[len(times) // 2] * 1000:.0f}"
          f" ms, max {times[-1] * 1000:.0f} ms; {dict(statuses)}; stored {stored}, "
          f"items decided {decided}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--paths", default="old,new")
    parser.add_argument("--server-process", action="store_true",
                        help="serve the new path from a reviewer-server process of its own")
    args = parser.parse_args()
    with postgres() as url:
        base = url.rsplit("/", 1)[0]
        admin = Database(url)
        for path in args.paths.split(","):
            with admin.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    f"CREATE DATABASE bench_{path}")
            _run(f"{base}/bench_{path}", path, args.decisions, args.batch,
                 args.server_process)
        admin.dispose()


if __name__ == "__main__":
    main()
