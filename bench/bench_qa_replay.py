"""Benchmark: opening a replay in the real quality window, list selection -> first frame.

A seeded review server (its own process) gets `--items` 12-megapixel JPEGs (the server
makes each one's display rendition), the demo reviewer decides them all, and the QA
lead's real QualityWindow (offscreen) opens each decision's replay. Two ways, half the
items each, none in the vault before:
  - "Enter at once": the row is selected and the replay opened in the same instant, so
    the time covers download, decode and protection, and the first paint;
  - "after a glance": the row is selected (the selection prepares it and the two rows
    after it), 300 ms pass as a QA lead reads the row, then Enter: the time from Enter to
    the first frame painted.
Target: under 100 ms after the list selection. Prints figures; asserts nothing.

    python bench/bench_qa_replay.py [--items 30]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_review_loop import PASSWORDS, QUEUE, describe, isolate, start_server

GLANCE_S = 0.3


def decide_all(server: Any, count: int) -> None:
    """The demo reviewer decides every benchmark item, each with a reveal."""
    from reviewer.api import ApiClient
    from reviewer.protocol import Decision, DecisionEvent

    api = ApiClient(server.url)
    api.login("demo", PASSWORDS["demo"])
    left = count
    while left > 0:
        lease = api.lease(QUEUE, min(100, left))
        if not lease.items:
            break
        now = datetime.now(UTC)
        action = lease.taxonomy.actions[0].id
        api.send_decisions([Decision(
            decision_id=uuid.uuid4(), item_id=item.id, lease_id=lease.lease_id,
            action=action, started_at=now - timedelta(seconds=4), decided_at=now,
            events=[DecisionEvent(at_ms=0, type="shown"),
                    DecisionEvent(at_ms=500, type="reveal_start", mode="hold"),
                    DecisionEvent(at_ms=1500, type="reveal_end", duration_ms=1000),
                    DecisionEvent(at_ms=4000, type="decided", action=action)])
            for item in lease.items])
        left -= len(lease.items)
    api.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=30)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-qa-replay-"))
    isolate(tmp)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    server, _jpegs = start_server(tmp, args.items)
    decide_all(server, args.items)

    from reviewer.qa import DecisionQuery
    from reviewer.workstation import Workstation
    from ui.qa.window import QualityWindow
    from ui.workers import Workers

    workstation = Workstation.open()
    workstation.login(server.url, "qa", PASSWORDS["qa"])
    workers = Workers()
    window = QualityWindow(workstation.start_quality(background_sync=False), workers, "bench")
    window.resize(1600, 1000)
    window.show()
    painted: list[float] = []
    window.replay.view.paint_hooks.append(lambda: painted.append(time.perf_counter()))

    def pump_until(condition: Callable[[], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                return False
            app.processEvents()
            time.sleep(0.001)
        return True

    window.find(DecisionQuery(reviewer="demo", queue=QUEUE, limit=args.items))
    pump_until(lambda: len(window.finder.decisions) >= args.items, 60)
    decisions = list(window.finder.decisions)
    at_once: list[float] = []
    glance: list[float] = []
    half = len(decisions) // 2
    # At once: the first half from the bottom up, so no earlier selection prepared the row
    # (a selection prepares the rows after it); after a glance: the second half.
    order = [(row, False) for row in reversed(range(half))]
    order += [(row, True) for row in range(half, len(decisions))]
    for row, dwell in order:
        decision = decisions[row]
        window.show_tab(0)
        app.processEvents()
        start = time.perf_counter()
        window.finder.table.selectRow(row)
        if dwell:
            pump_until(lambda: False, GLANCE_S)
            start = time.perf_counter()
        painted.clear()
        window.open_replay(decision)
        if not pump_until(lambda d=decision: window.replay.decision is d
                          and window.replay.view.kind == "image" and bool(painted), 30):
            print(f"row {row}: not painted ({window.replay.view.kind}: "
                  f"{window.replay.view.message})")
            continue
        (glance if dwell else at_once).append((painted[-1] - start) * 1000)
    size = window.replay.view.target_size()
    print(f"{len(decisions)} replays of 12 MP JPEG items (display renditions), view "
          f"{size[0]}x{size[1]}, server in its own process")
    print(describe("selected and opened at once -> first frame (cold)", at_once))
    print(describe(f"Enter after a {GLANCE_S * 1000:.0f} ms glance -> first frame", glance))
    window.close()
    workers.shutdown()
    workstation.close()
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
