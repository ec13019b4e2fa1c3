"""The wellness report over 1,000 reviewers x 90 days of exposure on PostgreSQL.

Starts a throwaway PostgreSQL cluster (initdb/pg_ctl on PATH, as the server tests do),
bulk-inserts the data with `generate_series`, then times the coordinator's summary (7, 30
and 90 days, everyone and one team) and the per-reviewer-day report, in the service and
over HTTP. The first summary computes and keeps the figures of every day
(`server.services.wellness_rollup`); later ones recompute only days with new records.
Prints figures only; the target is under 500 ms. The cluster is removed at the end.

    python bench/bench_wellness_report.py [--reviewers 1000] [--days 90] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

from reviewer.protocol import API_PREFIX
from server.db import Database
from server.embedded import EmbeddedServer
from server.models import AccessToken, User, utcnow
from server.security import new_token
from server.services.wellness_report import wellness_report
from server.services.wellness_summary import wellness_summary

TEAMS = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A PostgreSQL cluster in a temp dir; yields `postgresql+psycopg://...:PORT/postgres`."""
    runner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run it as the tests' unprivileged user
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
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*runner, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def fill(db: Database, reviewers: int, days: int, until: datetime) -> dict[str, int]:
    """Users, items, exposure, decisions and breaks for `reviewers` x `days`, in SQL."""
    start = until - timedelta(days=days)
    params = {"n": reviewers, "days": days, "start": start.replace(tzinfo=None),
              "teams": TEAMS}
    statements = [
        """INSERT INTO users (username, password_hash, roles, teams, created_at)
           SELECT 'r' || r, 'x', '["reviewer"]', json_build_array('team' || (r % :teams)),
                  now() FROM generate_series(1, :n) r""",
        """INSERT INTO queues (name, title, sensitivity, taxonomy)
           VALUES ('q', 'Q', 1, '{"actions": [{"id": "approve", "title": "Approve"}]}')""",
        """INSERT INTO items (id, queue, kind, text, category, severity, context, created_at,
                              state)
           SELECT 'i' || i, 'q', 'text', 'x', 'cat' || (i % 6), i % 4, '{}', now(), 'decided'
           FROM generate_series(0, 4999) i""",
        # 8 reveals per reviewer and day, 1-20 s each, on items i0..i4999
        """INSERT INTO exposure (entry_id, reviewer, item_id, category, severity, mode,
                                 started_at, duration_ms, received_at)
           SELECT md5(r || '-' || d || '-' || k), 'r' || r, 'i' || ((r * 7 + d * 13 + k) % 5000),
                  'cat' || ((r * 7 + d * 13 + k) % 6), (r * 7 + d * 13 + k) % 4, 'hold',
                  :start + make_interval(days => d, hours => 8 + k, mins => r % 50),
                  1000 + ((r * 31 + d * 17 + k * 7) % 20) * 1000,
                  :start + make_interval(days => d, hours => 9 + k)
           FROM generate_series(1, :n) r, generate_series(0, :days - 1) d,
                generate_series(0, 7) k""",
        # 25 decisions per reviewer and day
        """INSERT INTO decisions (decision_id, item_id, lease_id, reviewer, queue, action,
                                  labels, status, started_at, decided_at, received_at, events,
                                  client)
           SELECT md5('d' || r || '-' || d || '-' || k), 'i' || ((r * 11 + d * 5 + k) % 5000),
                  'l', 'r' || r, 'q', 'approve', '[]', 'accepted',
                  :start + make_interval(days => d, hours => 8, mins => k * 10),
                  :start + make_interval(days => d, hours => 8, mins => k * 10 + 1),
                  :start + make_interval(days => d, hours => 8, mins => k * 10 + 2), '[]', ''
           FROM generate_series(1, :n) r, generate_series(0, :days - 1) d,
                generate_series(0, 24) k""",
        # 4 breaks due per reviewer and day, 3 taken
        """INSERT INTO wellness_breaks (break_id, reviewer, due_at, taken_seconds,
                                        required_seconds, received_at)
           SELECT md5('b' || r || '-' || d || '-' || k), 'r' || r,
                  :start + make_interval(days => d, hours => 9 + 2 * k),
                  CASE WHEN k = 3 THEN 0 ELSE 600 END, 600,
                  :start + make_interval(days => d, hours => 10 + 2 * k)
           FROM generate_series(1, :n) r, generate_series(0, :days - 1) d,
                generate_series(0, 3) k""",
        """INSERT INTO wellness_policies (scope, policy, updated_at)
           VALUES ('default', '{"daily_reveal_seconds_cap": 600}', now()),
                  ('team:team3', '{"daily_reveal_seconds_cap": 300}', now())""",
    ]
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does on a live server
    with db.engine.begin() as conn:
        counts = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                  for table in ("exposure", "decisions", "wellness_breaks")}
    return counts


def timed(runs: int, call: Callable[[], object]) -> tuple[float, float]:
    """(median, max) milliseconds over `runs` calls after one warm-up."""
    call()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviewers", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    until = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with throwaway_cluster() as url, tempfile.TemporaryDirectory() as data_dir:
        db = Database(url)
        db.create_schema()
        began = time.perf_counter()
        counts = fill(db, args.reviewers, args.days, until)
        print(f"filled in {time.perf_counter() - began:.1f} s: "
              + ", ".join(f"{n:,} {table}" for table, n in counts.items()))
        last_day = (until - timedelta(days=1)).date()

        def service(days: int, team: str | None = None) -> Callable[[], object]:
            def run() -> object:
                return wellness_summary(db, time_zone="UTC", days=days, until=last_day,
                                        team=team)
            return run

        began = time.perf_counter()
        service(args.days)()
        print(f"service  summary {args.days} days, cold (computes and keeps every day) "
              f"{(time.perf_counter() - began) * 1000:7.1f} ms")

        def per_day() -> object:
            with db.session() as session:
                return wellness_report(session, reviewer=None, until=last_day,
                                       since=last_day - timedelta(days=29))

        for label, call in (("summary 7 days, everyone", service(7)),
                            ("summary 90 days, everyone", service(args.days)),
                            ("summary 30 days, everyone", service(30)),
                            ("summary 30 days, one team", service(30, "team3")),
                            ("reviewer-day rows, 30 days", per_day)):
            median, worst = timed(args.runs, call)
            print(f"service  {label:30s} median {median:7.1f} ms  max {worst:7.1f} ms")

        token, hashed = new_token()
        with db.writer() as session:
            session.add(User(username="coord", password_hash="x", roles=["wellness"], teams=[]))
            session.flush()
            session.add(AccessToken(token_hash=hashed, username="coord",
                                    expires_at=utcnow() + timedelta(hours=1)))
        with EmbeddedServer(url, Path(data_dir)) as server, httpx.Client(
                base_url=server.url + API_PREFIX, timeout=60,
                headers={"Authorization": f"Bearer {token}"}) as http:
            for days in (7, 30):
                path = f"/wellness/summary?days={days}&until={last_day}"
                size = len(http.get(path).content)
                median, worst = timed(args.runs, lambda p=path: http.get(p).raise_for_status())
                print(f"HTTP     summary {days:2d} days ({size / 1024:6.0f} KiB)       "
                      f"median {median:7.1f} ms  max {worst:7.1f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
