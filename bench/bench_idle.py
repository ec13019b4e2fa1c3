"""Benchmark: how many requests an idle client makes, and memory after 2,000 items.

1. The real review window (offscreen) on an empty queue, through the fault proxy of
   the test suite, for `--seconds`: requests per minute as the proxy counts them;
   then the same with every request answered 500 (a 5xx storm).
2. A review session deciding `--items` small images one after another, syncing as it
   goes, with the media cache cap in force (`--cap-mb`): the process's peak memory,
   the media cache's size and blob count at the end.
Prints figures; asserts nothing.

    python bench/bench_idle.py [--seconds 60] [--items 2000] [--cap-mb 500]
                               [--only idle|memory]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "net"), str(ROOT / "tests" / "server")]

from fault_proxy import FaultProxy  # noqa: E402
from server_harness import PASSWORD, Harness  # noqa: E402


def isolate(tmp: Path) -> None:
    """Client data and the keyring file backend inside the temp dir, never the user's."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    os.environ["REVIEWER_DATA_DIR"] = str(tmp / "client-data")
    os.environ["REVIEWER_ALLOW_FILE_KEYRING"] = "1"
    backend = PlaintextKeyring()
    backend.file_path = str(tmp / "keyring.cfg")  # type: ignore[misc]
    keyring.set_keyring(backend)


def idle_rate(tmp: Path, seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    from reviewer.workstation import Workstation
    from server.embedded import EmbeddedServer
    from ui.review.window import ReviewWindow
    from ui.workers import Workers

    app = QApplication.instance() or QApplication([])
    (tmp / "idle-server").mkdir()
    server = EmbeddedServer(f"sqlite:///{tmp / 'idle.db'}", tmp / "idle-server").start()
    net = Harness(server)
    proxy = FaultProxy(int(server.url.rsplit(":", 1)[1]))
    workers = Workers()
    workstation = Workstation.open(tmp / "idle-client")
    try:
        net.queue("empty", 0)
        net.user("idle")
        workstation.login(proxy.url, "idle", PASSWORD)
        for mode in ("pass", "error"):
            proxy.mode = mode
            proxy.reset_counts()
            session = workstation.start_review("empty")
            window = ReviewWindow(workstation, session, workers, workstation.sync_loop)
            window.show()
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                app.processEvents()
                time.sleep(0.02)
            counted = proxy.count()
            label = "empty queue" if mode == "pass" else "5xx storm  "
            print(f"idle client, {label}: {counted} requests in {seconds:.0f} s = "
                  f"{counted * 60 / seconds:.1f} per minute "
                  f"(leases {proxy.count('/leases')}, decisions {proxy.count('/decisions')})"
                  f"; status: {window.status.waiting.text()!r}", flush=True)
            window.close()
            workstation.stop_sync()
    finally:
        workers.shutdown()
        workstation.close()
        proxy.close()
        net.close()
        server.stop()


def rss_mb() -> float:
    """The process's resident memory now (Linux /proc), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def memory_after(tmp: Path, items: int, cap_mb: int) -> None:
    from reviewer.workstation import Workstation
    from server.embedded import EmbeddedServer

    (tmp / "mem-server").mkdir()
    server = EmbeddedServer(f"sqlite:///{tmp / 'mem.db'}", tmp / "mem-server",
                            max_held_items=1000).start()
    net = Harness(server)
    workstation = Workstation.open(tmp / "mem-client")
    try:
        print(f"making {items} image items…", flush=True)
        net.queue("images", items, images=items)
        net.user("mem")
        workstation.login(server.url, "mem", PASSWORD)
        workstation.store.set_setting("media_cache_mb", str(cap_mb))
        session = workstation.start_review("images", background_sync=False)
        before = rss_mb()
        action = next(a.id for a in session.taxonomy.actions if a.key == "1")
        engine = workstation.sync_engine()
        decided = 0
        start = time.monotonic()
        while decided < items:
            if session.ready_count() < 10:
                session.fill(min_ready=10)
            if session.current() is None:
                session.leases.retry_now()  # the queue said "no more" too early for a bench
                session.fill(min_ready=10)
                if session.current() is None:
                    break
            session.mark_shown()
            session.decide(action)
            decided += 1
            if decided % 50 == 0:
                engine.sync_once()
        engine.sync_once()
        session.fill(min_ready=10)  # one more tidy after the last sync
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        blobs = list(workstation.vault.directory.glob("*.media"))
        print(f"memory after {decided} items decided in {time.monotonic() - start:.0f} s "
              f"(cache cap {cap_mb} MB): RSS {before:.0f} MB before, {rss_mb():.0f} MB "
              f"after (process peak {peak_mb:.0f} MB, Qt part included); media cache "
              f"{workstation.vault.size_bytes() / 1024:.0f} KB in {len(blobs)} blobs; "
              f"pending {workstation.store.outbox_count_pending()}", flush=True)
    finally:
        workstation.close()
        net.close()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--cap-mb", type=int, default=500)
    parser.add_argument("--only", choices=("idle", "memory"), default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        isolate(tmp)
        if args.only != "memory":
            idle_rate(tmp, args.seconds)
        if args.only != "idle":
            memory_after(tmp, args.items, args.cap_mb)


if __name__ == "__main__":
    main()
