"""Benchmark: the reference server under simulated reviewers who behave like people.

Starts its own server: `reviewer-server init` then `reviewer-server serve --workers N` as
a subprocess, on SQLite (a file in a temporary data directory) or on a throwaway PostgreSQL
cluster (`postgres()` of `bench_qa_report.py`). Seeds one queue of text items, the reviewer
accounts (one argon2 hash reused) and a bearer token each, bulk-inserted with SQL.

Open loop (default): each reviewer leases a batch (`POST /queues/q/leases` with a fresh
`request_id`), decides one item every `--think` s (uniform jitter +-50 %, on a fixed
schedule: slow replies do not slow the reviewer down), sends its decisions as the client's
sync does (after `--sync-after` decisions or every `--sync-every` s), renews the lease at
half its life, and releases it when its items are decided and at the end. Reviewers start
spread over `--ramp` s (default `--think`: every first lease lands in that window). At the
end of the run every reviewer syncs and releases at once, a burst no real shift makes; so
lease, post and release latency is also printed steady: without the first ramp + `--think`
s and without requests sent after the stop. Text items only: there is no media to fetch,
so no media latency is measured.

Closed loop (`--closed-loop`): reviewers lease, decide the whole batch at once, post it,
and lease again, as fast as replies come; the number of active reviewers ramps up in steps
of `--step-seconds`; prints each step and the decisions/s at which p99 passes 250 ms.

Prints latency p50/p99, decisions/s, errors by status, and CPU (from /proc) of the server's
processes, of the PostgreSQL cluster and of this load generator; for the steady window
also the server's own latency histogram (`/metrics`: from a request reaching the app to
its reply), which leaves out the network, the accept queue and the generator's delays.
The generator is one asyncio + httpx process, one client (own connection) per reviewer,
as real workstations are; at 200 open-loop reviewers it uses about a quarter of a core,
so on average the latencies it reports are the server's, not its own queueing (a figure
near 1.0 would say otherwise); its heap is frozen before the run, so that its garbage
collector does not stall its event loop (which timed every reply in flight slower). The
machine is shared: the whole machine's busy cores are printed beside them. Checks from the
database at the end: items in two live leases at once, decisions lost, decisions
duplicated. Asserts nothing.

    python bench/bench_server_load.py --reviewers 200 --backend postgresql --workers 2 \
        --duration 60 [--closed-loop]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import server_histogram  # noqa: E402
from bench_qa_report import postgres  # noqa: E402

from reviewer.protocol import API_PREFIX  # noqa: E402
from server.db import Database  # noqa: E402
from server.models import AccessToken, Item, Queue, User  # noqa: E402
from server.security import hash_password, new_token  # noqa: E402
from server.services.taxonomy import DEFAULT_TAXONOMY  # noqa: E402

QUEUE = "load"
P99_LIMIT = 0.250


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(url: str, reviewers: int, items: int) -> list[str]:
    """Queue, items, reviewers and their tokens; returns the bearer tokens."""
    db = Database(url)
    now = datetime.now(UTC)
    password = hash_password(uuid.uuid4().hex)  # one argon2 hash for every account
    names = [f"load{n:04d}" for n in range(reviewers)]
    tokens = [new_token() for _ in names]
    with db.writer() as session:
        session.execute(insert(Queue), [{"name": QUEUE, "title": "load", "sensitivity": 1,
                                         "taxonomy": DEFAULT_TAXONOMY}])
        session.execute(insert(User), [{"username": name, "password_hash": password,
                                        "roles": ["reviewer"], "teams": [], "created_at": now}
                                       for name in names])
        session.execute(insert(AccessToken), [
            {"token_hash": hashed, "username": name, "expires_at": now + timedelta(hours=4)}
            for name, (_token, hashed) in zip(names, tokens, strict=True)])
        for start in range(0, items, 5000):
            session.execute(insert(Item), [
                {"id": f"i{n:07d}", "queue": QUEUE, "kind": "text",
                 "text": f"load test text {n}", "category": "spam", "severity": 1 + n % 3,
                 "context": {}, "created_at": now - timedelta(seconds=items - n),
                 "state": "pending"} for n in range(start, min(items, start + 5000))])
    if url.startswith("postgresql"):
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    db.dispose()
    return [token for token, _hashed in tokens]


@contextmanager
def _server(url: str, data: Path, workers: int, lease_ttl: float) -> Iterator[
        tuple[str, subprocess.Popen]]:
    tool = str(Path(sys.executable).parent / "reviewer-server")
    subprocess.run([tool, "init", "--db", url, "--data-dir", str(data)], check=True,
                   capture_output=True)
    port = _free_port()
    log = open(data / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([tool, "serve", "--db", url, "--data-dir", str(data), "--host",
                             "127.0.0.1", "--port", str(port), "--workers", str(workers),
                             "--lease-ttl", str(lease_ttl)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError("server exited:\n" + (data / "server.log").read_text()[-3000:])
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server not ready in 60 s")
            time.sleep(0.2)
        yield base, proc
    finally:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if proc.poll() is not None:
                break
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        log.close()
        _log_trouble(data / "server.log")


def _log_trouble(path: Path) -> None:
    """Worker deaths, restarts and errors the server logged (a killed worker drops its
    connections: the client sees ReadError / RemoteProtocolError)."""
    marks = ("died", "hung", "kill", "Traceback", "ERROR", "WARNING")
    lines = [line for line in path.read_text(errors="replace").splitlines()
             if any(mark in line for mark in marks)]
    print(f"  server log: {len(lines)} lines of trouble" + "".join(
        f"\n    {line[:160]}" for line in lines[:8]))


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with suppress(OSError):
                todo.extend(int(c) for c in task.read_text().split())
    return pids


def _cpu(pid: int, reaped: bool = False) -> dict[int, float]:
    """CPU seconds (user + system) of a process and its descendants; with `reaped`, the
    root's count includes its children that have exited (PostgreSQL's backends)."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[p] = sum(int(f) for f in fields[11:15 if reaped and p == pid else 13]) / tick
    return seconds


def _postmaster(url: str) -> int | None:
    """The PostgreSQL server's root process (the parent of a backend), when it runs here."""
    if not url.startswith("postgresql"):
        return None
    db = Database(url)
    with db.engine.connect() as conn:
        backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    db.dispose()
    with suppress(OSError):
        return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return None


def _machine() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine (every process, other users' too)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK"), sum(fields) / os.sysconf(
        "SC_CLK_TCK")


def _used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(after.values()) - sum(before.get(p, 0.0) for p in after)


class Stats:
    def __init__(self) -> None:
        self.times: dict[str, list[tuple[float, float]]] = defaultdict(list)  # (end, secs)
        self.errors: Counter[str] = Counter()
        self.results: Counter[str] = Counter()
        self.stored_ids: set[str] = set()  # answered accepted / late
        self.decided: list[float] = []  # when a decision was answered accepted / late
        self.histograms: list[server_histogram.Buckets] = []  # the server's, steady window
        self.started = time.monotonic()

    def add(self, kind: str, started: float, reply: httpx.Response | None,
            error: str | None = None) -> None:
        end = time.monotonic()
        self.times[kind].append((end, end - started))
        if reply is None:
            self.errors[f"{kind} {error}"] += 1
        elif reply.status_code >= 400:
            self.errors[f"{kind} {reply.status_code}"] += 1


async def _call(http: httpx.AsyncClient, stats: Stats, kind: str, method: str, path: str,
                **kw: object) -> httpx.Response | None:
    started = time.monotonic()
    try:
        reply = await http.request(method, path, **kw)
    except httpx.HTTPError as exc:
        stats.add(kind, started, None, type(exc).__name__)
        return None
    stats.add(kind, started, reply)
    return reply


def _decision(item: str, lease: str, shown: datetime) -> dict:
    now = datetime.now(UTC)
    action = random.choice(("approve", "approve", "approve", "remove"))
    ms = int((now - shown).total_seconds() * 1000)
    return {"decision_id": str(uuid.uuid4()), "item_id": item, "lease_id": lease,
            "action": action, "labels": [], "started_at": shown.isoformat(),
            "decided_at": now.isoformat(), "client": "bench-load",
            "events": [{"at_ms": 0, "type": "shown"},
                       {"at_ms": ms, "type": "decided", "action": action}]}


async def _post(http: httpx.AsyncClient, stats: Stats, pending: list[dict]) -> None:
    """Send the pending decisions; keep the ones not answered (retried on the next sync)."""
    if not pending:
        return
    batch = list(pending)
    reply = await _call(http, stats, "decisions", "POST", "/decisions",
                        json={"decisions": batch})
    if reply is None or reply.status_code != 200:
        return
    now = time.monotonic()
    answered = set()
    for result in reply.json()["results"]:
        stats.results[result["status"]] += 1
        answered.add(result["decision_id"])
        if result["status"] in ("accepted", "late"):
            stats.stored_ids.add(result["decision_id"])
            stats.decided.append(now)
        # duplicate: already stored; rejected: never will be (both answered, not retried)
    pending[:] = [d for d in pending if d["decision_id"] not in answered]


async def _lease(http: httpx.AsyncClient, stats: Stats, size: int) -> dict | None:
    request_id = uuid.uuid4().hex
    for _ in range(3):  # a lost reply: repeat with the same request_id, as the client does
        reply = await _call(http, stats, "lease", "POST", f"/queues/{QUEUE}/leases",
                            json={"max_items": size, "request_id": request_id})
        if reply is not None and reply.status_code == 200:
            return reply.json()
        if reply is not None and reply.status_code < 500:
            return None
        await asyncio.sleep(0.5)
    return None


async def _reviewer(base: str, token: str, stats: Stats, args: argparse.Namespace,
                    stop: float, start_at: float = 0.0) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    closed = args.closed_loop
    async with httpx.AsyncClient(base_url=base + API_PREFIX, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        if not closed:  # people do not all start in the same second
            await asyncio.sleep(random.uniform(0, args.ramp or args.think))
        pending: list[dict] = []
        last_sync = time.monotonic()
        next_at = time.monotonic()
        while time.monotonic() < stop:
            lease = await _lease(http, stats, args.batch)
            if lease is None or not lease["items"]:
                # (an empty lease leaves no lease row on the server: nothing to release)
                await asyncio.sleep(1.0)
                continue
            lease_id, taken = lease["lease_id"], time.monotonic()
            renew_at = taken + args.lease_ttl / 2
            for item in lease["items"]:
                if time.monotonic() >= stop:
                    break
                shown = datetime.now(UTC)
                if not closed:
                    next_at += args.think * random.uniform(0.5, 1.5)
                    await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                    if time.monotonic() >= renew_at:
                        await _call(http, stats, "renew", "POST", f"/leases/{lease_id}/renew")
                        renew_at = time.monotonic() + args.lease_ttl / 2
                pending.append(_decision(item["id"], lease_id, shown))
                if not closed and (len(pending) >= args.sync_after
                                   or time.monotonic() - last_sync >= args.sync_every):
                    await _post(http, stats, pending)
                    last_sync = time.monotonic()
            await _post(http, stats, pending)
            last_sync = time.monotonic()
            await _call(http, stats, "release", "DELETE", f"/leases/{lease_id}")
        await _post(http, stats, pending)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _line(kind: str, samples: list[tuple[float, float]]) -> str:
    secs = [s for _end, s in samples]
    return (f"  {kind:<9} n={len(secs):>6}  p50 {_pct(secs, .5) * 1000:7.1f} ms  "
            f"p99 {_pct(secs, .99) * 1000:7.1f} ms  max {max(secs, default=0) * 1000:7.1f} ms")


def _checks(url: str, stats: Stats) -> None:
    db = Database(url)
    with db.session() as session:
        now = datetime.now(UTC).replace(tzinfo=None) if url.startswith("sqlite") \
            else datetime.now(UTC)
        live_twice = session.scalar(text(
            "SELECT count(*) FROM (SELECT li.item_id FROM lease_items li JOIN leases l "
            "ON l.id = li.lease_id WHERE li.share IS NULL AND l.released_at IS NULL "
            "AND l.expires_at > :now GROUP BY li.item_id HAVING count(*) > 1) t"),
            {"now": now})
        overlapping = session.scalar(text(
            "SELECT count(DISTINCT a.item_id) FROM lease_items a JOIN leases la "
            "ON la.id = a.lease_id JOIN lease_items b ON b.item_id = a.item_id "
            "AND b.lease_id > a.lease_id JOIN leases lb ON lb.id = b.lease_id "
            "WHERE a.share IS NULL AND b.share IS NULL "
            "AND la.created_at < COALESCE(lb.released_at, lb.expires_at) "
            "AND lb.created_at < COALESCE(la.released_at, la.expires_at)"))
        ids = set(session.scalars(text(
            "SELECT decision_id FROM decisions WHERE client = 'bench-load'")))
        rows, distinct = session.execute(text(
            "SELECT count(*), count(DISTINCT decision_id) FROM decisions")).one()
        counting_twice = session.scalar(text(
            "SELECT count(*) FROM (SELECT item_id, reviewer FROM decisions d WHERE NOT EXISTS "
            "(SELECT 1 FROM decisions s WHERE s.supersedes = d.decision_id) "
            "GROUP BY item_id, reviewer HAVING count(*) > 1) t"))
    db.dispose()
    lost = stats.stored_ids - ids
    print("checks (database):")
    print(f"  items in two live leases now: {live_twice}; items whose leases overlapped in "
          f"time (two holders at once): {overlapping}")
    print(f"  decisions answered accepted/late: {len(stats.stored_ids)}, stored: {len(ids)}, "
          f"lost: {len(lost)}")
    print(f"  duplicated: decision rows {rows} vs distinct ids {distinct}; (item, reviewer) "
          f"with two counting decisions: {counting_twice}")


def _report_open(stats: Stats, elapsed: float, duration: float, think: float,
                 ramp: float) -> None:
    for kind in ("lease", "decisions", "renew", "release"):
        if stats.times.get(kind):
            print(_line(kind, stats.times[kind]))
    start = (ramp or think) + think  # the start burst: every first lease, and its decision
    stop = stats.started + duration  # the stop burst: every reviewer's last sync and release
    for kind in ("lease", "decisions", "release"):
        steady = [(end, s) for end, s in stats.times.get(kind, [])
                  if end > stats.started + start and end - s < stop]
        if steady:
            print(_line(kind, steady) + f"  (steady: after the first {start:.0f} s, "
                  "sent before the stop)")
    for kind in ("lease", "decisions"):  # where the whole run's tail lies
        first = [(end, s) for end, s in stats.times.get(kind, [])
                 if end <= stats.started + start]
        last = [(end, s) for end, s in stats.times.get(kind, []) if end - s >= stop]
        for samples, label in ((first, f"the first {start:.0f} s"), (last, "sent after the stop")):
            if samples:
                print(_line(kind, samples) + f"  ({label})")
    if len(stats.histograms) == 2:
        print("  inside the server (its own /metrics histogram, the same steady window):")
        for kind, method, route in (("lease", "POST", f"{API_PREFIX}/queues/{{queue}}/leases"),
                                    ("decisions", "POST", f"{API_PREFIX}/decisions")):
            print(f"    {kind:<9} " + server_histogram.describe(*stats.histograms, method, route,
                                                             0.1))
    print("  media     none: text items carry no media, nothing to fetch")
    print(f"  decisions stored: {len(stats.stored_ids)} = "
          f"{len(stats.stored_ids) / duration:.1f} decisions/s over the {duration:.0f} s run "
          f"({elapsed:.1f} s with the last sync and release); results {dict(stats.results)}")


def _report_closed(stats: Stats, steps: list[tuple[int, float, float]]) -> None:
    print("  step  reviewers  decisions/s  lease p50/p99 ms   post p50/p99 ms")
    knee, under = None, None
    for n, (active, t0, t1) in enumerate(steps):
        done = sum(1 for t in stats.decided if t0 <= t < t1)
        rate = done / (t1 - t0)
        cols = []
        worst = 0.0
        for kind in ("lease", "decisions"):
            secs = [s for end, s in stats.times[kind] if t0 <= end < t1]
            cols.append(f"{_pct(secs, .5) * 1000:6.0f} /{_pct(secs, .99) * 1000:6.0f}")
            worst = max(worst, _pct(secs, .99) if secs else 0.0)
        print(f"  {n:>4}  {active:>9}  {rate:>11.1f}  {cols[0]:>16}  {cols[1]:>16}")
        if knee is None and worst > P99_LIMIT:
            knee = (active, rate)
        elif knee is None:
            under = (active, rate)
    if knee is None:
        print(f"  p99 stayed under {P99_LIMIT * 1000:.0f} ms at every step")
    else:
        print(f"  saturation: p99 (lease or post) passed {P99_LIMIT * 1000:.0f} ms at "
              f"{knee[0]} reviewers, {knee[1]:.1f} decisions/s"
              + (f"; last step under it: {under[0]} reviewers, {under[1]:.1f} decisions/s"
                 if under else "; already at the first step"))


async def _scrape_at(base: str, stats: Stats, at: float) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    stats.histograms.append(await server_histogram.scrape(base))


async def _drive(base: str, tokens: list[str], args: argparse.Namespace,
                 stats: Stats) -> tuple[float, list[tuple[int, float, float]]]:
    started = stats.started = time.monotonic()
    steps: list[tuple[int, float, float]] = []
    if not args.closed_loop:
        stop = started + args.duration
        steady = started + (args.ramp or args.think) + args.think
        await asyncio.gather(*(_reviewer(base, t, stats, args, stop) for t in tokens),
                             _scrape_at(base, stats, steady), _scrape_at(base, stats, stop))
        return time.monotonic() - started, steps
    top, steps_n = len(tokens), max(2, args.steps)  # geometric: 1 ... all reviewers
    counts = sorted({max(1, round(top ** (k / (steps_n - 1)))) for k in range(steps_n)})
    stop = started + args.step_seconds * len(counts)
    tasks, launched = [], 0
    for n, count in enumerate(counts):
        at = started + n * args.step_seconds
        steps.append((count, at, at + args.step_seconds))
        tasks += [_reviewer(base, t, stats, args, stop, at) for t in tokens[launched:count]]
        launched = count
    await asyncio.gather(*tasks)
    return time.monotonic() - started, steps


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGINT, _interrupt)  # also when started with SIGINT ignored
    signal.signal(signal.SIGTERM, _interrupt)  # stop the server and cluster on kill too
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviewers", type=int, default=200)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--duration", type=float, default=60, help="seconds (open loop)")
    parser.add_argument("--batch", type=int, default=10, help="items per lease")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds per decision")
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="open loop: reviewers start spread over this many s "
                             "(default: --think)")
    parser.add_argument("--sync-every", type=float, default=5.0)
    parser.add_argument("--sync-after", type=int, default=5)
    parser.add_argument("--lease-ttl", type=float, default=30.0,
                        help="server lease TTL in s (short, so renewals happen in the run)")
    parser.add_argument("--items", type=int, default=0, help="seeded (default: enough)")
    parser.add_argument("--closed-loop", action="store_true")
    parser.add_argument("--steps", type=int, default=6,
                        help="closed loop: ramp steps, 1 reviewer up to all, geometric")
    parser.add_argument("--step-seconds", type=float, default=10.0)
    args = parser.parse_args()
    if args.closed_loop:
        args.duration = args.steps * args.step_seconds
    items = args.items or int(args.reviewers * args.batch * 2 + (
        1000 * args.duration if args.closed_loop  # it now passes 600 decisions/s
        else args.reviewers * args.duration / args.think * 1.5))
    data = Path(tempfile.mkdtemp(prefix="bench-load-"))
    cluster = postgres() if args.backend == "postgresql" else nullcontext(
        f"sqlite:///{data / 'db.sqlite'}")
    mode = "closed loop" if args.closed_loop else f"open loop, a decision every ~{args.think} s"
    print(f"{args.backend}, {args.workers} worker(s), {args.reviewers} reviewers, {mode}, "
          f"{args.duration:.0f} s, leases of {args.batch}, {items} text items")
    try:
        with cluster as url:
            with _server(url, data, args.workers, args.lease_ttl) as (base, proc):
                tokens = _seed(url, args.reviewers, items)
                stats = Stats()
                pg = _postmaster(url)
                pg0 = _cpu(pg, reaped=True) if pg else {}
                cpu0, wall0 = _cpu(proc.pid), time.monotonic()
                gen0, box0 = time.process_time(), _machine()
                # A full collection of the generator's heap stalled its event loop for up
                # to 120 ms, and every reply in flight was timed that much slower: keep
                # what exists now (the seed's leftovers, the modules) out of its sight.
                gc.collect()
                gc.freeze()
                try:
                    elapsed, steps = asyncio.run(_drive(base, tokens, args, stats))
                except KeyboardInterrupt:
                    print("interrupted: stopping the server")
                    raise
                gen, box1 = time.process_time() - gen0, _machine()
                cpu1, wall = _cpu(proc.pid), time.monotonic() - wall0
                pg1 = _cpu(pg, reaped=True) if pg else {}
            used = _used(cpu0, cpu1)
            print("latency:" if not args.closed_loop else "closed loop, by step:")
            if args.closed_loop:
                _report_closed(stats, steps)
            else:
                _report_open(stats, elapsed, args.duration, args.think, args.ramp)
            print(f"  errors by status: {dict(stats.errors) or 'none'}")
            print(f"  server CPU: {used:.1f} s over {wall:.1f} s = {used / wall:.2f} cores "
                  f"({len(cpu1)} processes)")
            if pg:
                print(f"  PostgreSQL CPU: {_used(pg0, pg1) / wall:.2f} cores")
            print(f"  load generator CPU (this process): {gen:.1f} s = {gen / wall:.2f} cores"
                  " (near 1.0: its own queueing is in the latencies above)")
            busy = box1[0] - box0[0]
            print(f"  whole machine: {busy / wall:.2f} of {os.cpu_count()} cores busy "
                  "(other users' processes included)")
            _checks(url, stats)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
