"""Benchmark: the QA report over 100,000 decisions and 10,000 verdicts on PostgreSQL.

Starts a throwaway PostgreSQL cluster (initdb + pg_ctl on a free port, removed at the
end), bulk-inserts the fixture with SQL (not through HTTP): 40 reviewers, 4 queues,
gold items, overlap items decided by two reviewers, some superseded decisions, then
times `qa_report` (the same function the route calls) overall, for one reviewer and for
a date range, and one page of the decision finder deep into the list. Target: the
report under 500 ms. Prints figures; asserts nothing.

    python bench/bench_qa_report.py [--decisions 100000] [--verdicts 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.db import Database  # noqa: E402
from server.models import (  # noqa: E402
    DecisionRecord,
    GoldItem,
    Item,
    Queue,
    VerdictRecord,
)
from server.services.qa_decisions import DecisionFilter, list_decisions  # noqa: E402
from server.services.qa_report import qa_report  # noqa: E402
from server.services.taxonomy import DEFAULT_TAXONOMY  # noqa: E402

QUEUES = ("spam", "hate", "violence", "nudity")
ACTIONS = ("approve", "remove", "age_restrict", "escalate")
REVIEWERS = [f"rev{n:02d}" for n in range(40)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway cluster; yields an SQLAlchemy URL of an empty database."""
    runner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run as an unprivileged user
        if subprocess.run(["id", "pgtest"], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--system", "--no-create-home", "pgtest"], check=True)
        runner = ["runuser", "-u", "pgtest", "--"]
    root = Path(tempfile.mkdtemp(prefix="pgbench-"))
    if runner:
        shutil.chown(root, "pgtest")
    data, port = root / "data", _free_port()
    try:
        subprocess.run([*runner, "initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8"], check=True, capture_output=True)
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*runner, "pg_ctl", "-D", str(data), "-o", options, "-l",
                        str(root / "log"), "-w", "start"], check=True, capture_output=True)
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*runner, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _fixture(db: Database, decisions: int, verdicts: int, rng: random.Random) -> None:
    now = datetime.now(UTC)
    items_per_queue = decisions // len(QUEUES) + 1
    with db.writer() as session:
        session.execute(insert(Queue), [{"name": q, "title": q, "sensitivity": 1,
                                         "taxonomy": DEFAULT_TAXONOMY} for q in QUEUES])
        items = [{"id": f"{q}-{n:06d}", "queue": q, "kind": "text", "text": "t",
                  "category": "c", "severity": n % 4, "context": {}, "created_at": now,
                  "state": "decided",
                  "share": "overlap" if n % 20 == 0 else ("gold" if n % 97 == 1 else None)}
                 for q in QUEUES for n in range(items_per_queue)]
        for start in range(0, len(items), 10_000):
            session.execute(insert(Item), items[start:start + 10_000])
        session.execute(insert(GoldItem), [
            {"item_id": i["id"], "queue": i["queue"], "action": rng.choice(ACTIONS[:3]),
             "marked_by": "qa", "marked_at": now} for i in items if i["share"] == "gold"])
    rows, overlap_items = [], [i for i in items if i["share"] == "overlap"]
    for n in range(decisions):
        # every 20th decision is a second reviewer's on an overlap item
        item = rng.choice(overlap_items) if n % 20 == 0 else items[n % len(items)]
        decided = now - timedelta(seconds=rng.randrange(30 * 86_400))
        handle = rng.randrange(500, 60_000)
        rows.append({"decision_id": str(uuid.uuid4()), "item_id": item["id"],
                     "lease_id": "L-bench", "reviewer": rng.choice(REVIEWERS),
                     "queue": item["queue"], "action": rng.choices(ACTIONS, (6, 3, 1, 1))[0],
                     "labels": [], "status": "late" if n % 50 == 0 else "accepted",
                     "supersedes": None, "started_at": decided - timedelta(milliseconds=handle),
                     "decided_at": decided, "received_at": decided, "events": [],
                     "client": "bench", "handle_ms": handle,
                     "reveals": rng.choice((0, 0, 0, 1, 2))})
    for n in range(0, decisions - 1, 100):  # one in a hundred is later superseded
        rows[n + 1]["supersedes"] = rows[n]["decision_id"]
        rows[n + 1]["item_id"], rows[n + 1]["queue"] = rows[n]["item_id"], rows[n]["queue"]
        rows[n + 1]["reviewer"] = rows[n]["reviewer"]
    judged = rng.sample(rows, verdicts)
    with db.writer() as session:
        for start in range(0, len(rows), 10_000):
            session.execute(insert(DecisionRecord), rows[start:start + 10_000])
        session.execute(insert(VerdictRecord), [
            {"verdict_id": str(uuid.uuid4()), "decision_id": r["decision_id"], "qa_lead": "qa",
             "action": r["action"] if rng.random() < 0.8 else rng.choice(ACTIONS),
             "labels": [], "blind": True, "note": None, "created_at": now} for r in judged])
    with db.engine.connect() as conn:  # fresh statistics, as autovacuum would give
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def _time(db: Database, runs: int, work: Callable[[object], object]) -> list[float]:
    times = []
    for _ in range(runs):
        with db.session() as session:
            started = time.perf_counter()
            work(session)
            times.append((time.perf_counter() - started) * 1000)
    return times


def _print(label: str, times: list[float]) -> None:
    print(f"{label:<44} median {statistics.median(times):7.1f} ms   "
          f"min {min(times):7.1f}   max {max(times):7.1f}   (n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--verdicts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with postgres() as url:
        db = Database(url)
        db.create_schema()
        started = time.perf_counter()
        _fixture(db, args.decisions, args.verdicts, random.Random(1))
        print(f"fixture: {args.decisions} decisions, {args.verdicts} verdicts, "
              f"{len(REVIEWERS)} reviewers, {len(QUEUES)} queues, inserted in "
              f"{time.perf_counter() - started:.1f} s")
        last_week = datetime.now(UTC) - timedelta(days=7)
        report = qa_report_figures(db)
        _print("report, everything (target < 500 ms)",
               _time(db, args.runs, lambda s: qa_report(s)))  # type: ignore[arg-type]
        _print("report, one reviewer",
               _time(db, args.runs, lambda s: qa_report(s, reviewer="rev07")))  # type: ignore[arg-type]
        _print("report, last 7 days",
               _time(db, args.runs, lambda s: qa_report(s, since=last_week)))  # type: ignore[arg-type]
        _print("finder, first page of 100",
               _time(db, args.runs, lambda s: list_decisions(s, DecisionFilter())))  # type: ignore[arg-type]
        _print("finder, 100 per reviewer sample, page 1",
               _time(db, args.runs, lambda s: list_decisions(  # type: ignore[arg-type]
                   s, DecisionFilter(), sample_per_reviewer=100, seed=3)))
        print(report)
        db.dispose()


def qa_report_figures(db: Database) -> str:
    with db.session() as session:
        report = qa_report(session)
    overall = report.overall
    assert overall is not None
    return (f"overall: {overall.decisions} decisions, {overall.verdicts} verdicts, agreement "
            f"{overall.agreement:.3f}, kappa {overall.cohen_kappa:.3f}, gold accuracy "
            f"{overall.gold_accuracy:.3f}, overlap kappa {overall.overlap_kappa} "
            f"({overall.overlap_kappa_method}), p50/p90 {overall.handle_time_ms_p50}/"
            f"{overall.handle_time_ms_p90} ms; {len(report.reviewers)} reviewer rows")


if __name__ == "__main__":
    main()
