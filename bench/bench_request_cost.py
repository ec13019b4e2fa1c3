"""Benchmark: the server's CPU per request, one request at a time, by kind (lease, renew,
decision post of 3, release) on PostgreSQL; optionally against another checkout,
interleaved.

CPU per request, not latency: it is what sets how many reviewers a core carries, and it
is read from /proc (user + system of the server process and its threads) around each
request, so other load on the machine changes it less than it changes wall time. Still,
this machine's speed drifts by a third from one minute to the next: to compare two
versions of the server, `--against DIR` (a checkout of another commit, e.g. made with
`git worktree add DIR COMMIT`) starts that version beside this one, each on its own
throwaway PostgreSQL cluster, and sends every request to both in turn, so both are
measured at the same moments. Prints the mean CPU per request of each and their ratio.

    python bench/bench_request_cost.py [--requests 150] [--against ../old-checkout]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_qa_report import postgres  # noqa: E402
from bench_server_load import QUEUE, _cpu, _decision, _free_port  # noqa: E402

from reviewer.protocol import API_PREFIX  # noqa: E402

KINDS = ("lease", "renew", "post3", "release")
TOOL = str(Path(sys.executable).parent / "reviewer-server")
SEED = ("import sys; sys.path.insert(0, {bench!r}); import bench_server_load as b; "
        "print(b._seed({url!r}, 2, 12000)[0])")


@contextmanager
def _server(url: str, env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen]]:
    """`init` and `serve` (one process) with `env`, which says which code runs."""
    data = Path(tempfile.mkdtemp(prefix="bench-cost-"))
    subprocess.run([TOOL, "init", "--db", url, "--data-dir", str(data)], check=True,
                   capture_output=True, env=env, cwd=data)
    port = _free_port()
    proc = subprocess.Popen([TOOL, "serve", "--db", url, "--data-dir", str(data), "--port",
                             str(port), "--lease-ttl", "300"], env=env, cwd=data,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server ({env.get('PYTHONPATH', 'this checkout')}) "
                                   "did not start")
            time.sleep(0.1)
        yield base, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


class Side:
    """One server under measurement: its client, its leases, its CPU per request."""

    def __init__(self, name: str, base: str, token: str, proc: subprocess.Popen) -> None:
        self.name, self.proc = name, proc
        self.http = httpx.Client(base_url=base + API_PREFIX,
                                 headers={"Authorization": f"Bearer {token}"})
        self.leases: list[dict] = []
        self.cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}

    def request(self, kind: str) -> httpx.Response:
        if kind == "lease":
            reply = self.http.post(f"/queues/{QUEUE}/leases",
                                   json={"max_items": 10, "request_id": uuid.uuid4().hex})
            self.leases.append(reply.json())
            return reply
        lease = self.leases[-1]
        if kind == "renew":
            return self.http.post(f"/leases/{lease['lease_id']}/renew")
        if kind == "post3":
            decisions = [_decision(item["id"], lease["lease_id"], datetime.now(UTC))
                         for item in lease["items"][:3]]
            return self.http.post("/decisions", json={"decisions": decisions})
        self.leases.pop()
        return self.http.delete(f"/leases/{lease['lease_id']}")

    def measure(self, kind: str, keep: bool) -> None:
        before = sum(_cpu(self.proc.pid).values())
        reply = self.request(kind)
        used = sum(_cpu(self.proc.pid).values()) - before
        if reply.status_code != 200:
            raise RuntimeError(f"{self.name}: {kind} answered {reply.status_code}: "
                               f"{reply.text[:300]}")
        if keep:
            self.cpu[kind].append(used)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=150, help="of each kind, measured")
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--against", type=Path, help="a checkout of another version")
    args = parser.parse_args()
    versions = [("this", {})]
    if args.against:
        versions.insert(0, ("against", {"PYTHONPATH": str(args.against.resolve())}))
    with ExitStack() as stack:
        sides = []
        for name, extra in versions:
            url = stack.enter_context(postgres())
            env = {**os.environ, **extra}
            base, proc = stack.enter_context(_server(url, env))
            token = subprocess.run(
                [sys.executable, "-c", SEED.format(bench=str(Path(__file__).parent), url=url)],
                env=env, capture_output=True, text=True, check=True, cwd=tempfile.gettempdir(),
            ).stdout.strip()
            sides.append(Side(name, base, token, proc))
        for n in range(args.warm_up + args.requests):
            for kind in KINDS:
                for side in sides if n % 2 else sides[::-1]:  # neither always goes first
                    side.measure(kind, keep=n >= args.warm_up)
    print(f"server CPU per request (ms), mean of {args.requests}, one request at a time, "
          "PostgreSQL:")
    for kind in KINDS:
        means = [sum(side.cpu[kind]) / args.requests * 1000 for side in sides]
        line = "  ".join(f"{side.name} {mean:6.2f}" for side, mean in zip(sides, means,
                                                                           strict=True))
        ratio = f"  this/against {means[1] / means[0]:.2f}" if len(sides) == 2 else ""
        print(f"  {kind:<8} {line}{ratio}")


if __name__ == "__main__":
    main()
