"""Several server processes on one database: `serve --workers 2` beside a second `serve`,
reviewers leasing concurrently through both; leasing stays exclusive across processes (no
item in two live leases), every decision is stored once; login failures made through any
process count at all of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from limits import parse
from server_harness import PASSWORD, Harness, decision, free_port
from sqlalchemy import func, select

from reviewer.protocol import API_PREFIX
from server.config import ServerSettings
from server.models import DecisionRecord

ITEMS = 90
REVIEWERS = 9


@dataclass
class RunningServer:
    """What the harness needs to know of a server running in another process."""

    db_url: str
    data_dir: Path
    url: str


def _children(pid: int) -> list[str]:
    """Command lines of the processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, ValueError, IndexError):
            continue
    return found


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready")


@pytest.fixture
def two_servers(backend_db_url: str, tmp_path: Path) -> Iterator[list[RunningServer]]:
    data_dir = tmp_path / "data"
    processes, servers = [], []
    try:
        for workers in (2, 1):
            port = free_port()
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--db", backend_db_url,
                 "--data-dir", str(data_dir), "--port", str(port), "--workers", str(workers)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
            servers.append(RunningServer(backend_db_url, data_dir, f"http://127.0.0.1:{port}"))
            _wait_ready(servers[-1].url, processes[-1])
        spawned = [c for c in _children(processes[0].pid) if "spawn_main" in c]
        assert len(spawned) == 2, "serve --workers 2 runs two worker processes"
        yield servers
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the group this test started
                process.wait()


def test_leasing_stays_exclusive_across_server_processes(two_servers: list[RunningServer]
                                                         ) -> None:
    harnesses = [Harness(server) for server in two_servers]  # type: ignore[arg-type]
    h = harnesses[0]
    try:
        item_ids = set(h.queue("q", ITEMS))
        reviewers = [h.user(f"rev{n}") for n in range(REVIEWERS)]

        def review(n: int) -> list[tuple[str, list[str]]]:
            """Lease through the servers in turn; decide all but one item of each lease,
            which stays held by that (live) lease."""
            held: list[tuple[str, list[str]]] = []
            for turn in range(ITEMS):
                client = harnesses[(n + turn) % 2]
                reply = client.http.post("/queues/q/leases", json={"max_items": 4},
                                         headers=reviewers[n])
                assert reply.status_code == 200, reply.text
                lease = reply.json()
                ids = [item["id"] for item in lease["items"]]
                if not ids:
                    return held
                held.append((lease["lease_id"], ids))
                results = client.post_decisions(
                    reviewers[n], *(decision(i, lease["lease_id"]) for i in ids[1:]))
                assert {r["status"] for r in results} <= {"accepted"}
            return held

        with ThreadPoolExecutor(REVIEWERS) as pool:
            leases = [lease for held in pool.map(review, range(REVIEWERS)) for lease in held]

        leased = [item for _, ids in leases for item in ids]
        assert len(leased) == len(set(leased)), "an item was in two live leases"
        assert set(leased) == item_ids
        with h.db.session() as session:
            stored = session.execute(select(DecisionRecord.item_id, func.count())
                                     .group_by(DecisionRecord.item_id)).all()
        decided = {item for item, count in stored}
        assert all(count == 1 for _, count in stored)
        assert decided == item_ids - {ids[0] for _, ids in leases}
        metrics = httpx.get(f"{two_servers[0].url}/metrics", timeout=20).text
        assert f'route="{API_PREFIX}/queues/{{queue}}/leases"' in metrics
    finally:
        for harness in harnesses:
            harness.close()


# PostgreSQL only: three server processes per run, and several processes is PostgreSQL's
# deployment (the counts' storage is tested on both in test_server_throttle*.py).
@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_login_failures_count_across_server_processes(two_servers: list[RunningServer]
                                                       ) -> None:
    """The configured failures per name, made through three processes (each request on a
    new connection, so the two workers of the first server both take some), end in 429 at
    every process."""
    h = Harness(two_servers[0])  # type: ignore[arg-type]
    try:
        h.user("ivy")
        urls = [f"{server.url}{API_PREFIX}/auth/token" for server in two_servers]
        allowed = parse(ServerSettings.login_failures_per_user).amount  # serve's default

        def login(url: str, password: str) -> int:
            reply = httpx.post(url, json={"username": "ivy", "password": password},
                               timeout=20)
            return reply.status_code

        failures = [login(urls[n % 3 // 2], "wrong-guess") for n in range(allowed)]
        assert failures == [401] * allowed
        assert [login(url, PASSWORD) for url in urls * 2] == [429] * 4
    finally:
        h.close()
