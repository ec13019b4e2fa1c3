"""Benchmark: decision key -> next item painted, in the real review window.

Builds the real ReviewWindow offscreen against a seeded review server (its own process)
with `--items` 12-megapixel JPEGs of photo-like grain, 0.6 to 4.5 MB each, ingested
through the admin API `POST /items` (where the server makes each one's display
rendition, `Item.preview`), reviews them all by key events, and prints p50/p99 of the
time from just before the decision key is sent to the end of the next item's
paintEvent. Beside it, measured in the same run on the same bytes: preparation per
image as the app does it (`wellness.protect.prepare_image` on the preview it shows),
the same on the 12 MP original (JPEG draft decoding), the naive approach
(`wellness.protect.naive_protect`: full-resolution decode, then blur at full
resolution), and the server's one-off cost of making the preview at ingest.
Prints figures; asserts nothing.

    python bench/bench_review_loop.py [--items 200] [--naive-samples 20]
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from PIL import ImageDraw  # noqa: E402

PASSWORDS = {  # made fresh each run: no password is written down anywhere
    name: f"{name}-{secrets.token_urlsafe(12)}" for name in ("demo", "qa", "wellness", "admin")
}
QUEUE = "bench-12mp"
SIZE_12MP = (4000, 3000)


def isolate(tmp: Path) -> None:
    """Client data and the keyring file backend inside the temp dir, never the user's."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    os.environ["REVIEWER_DATA_DIR"] = str(tmp / "client-data")
    os.environ["REVIEWER_ALLOW_FILE_KEYRING"] = "1"
    backend = PlaintextKeyring()
    backend.file_path = str(tmp / "keyring.cfg")  # type: ignore[misc]
    keyring.set_keyring(backend)


def make_jpegs(count: int) -> Callable[[int], bytes]:
    """A maker of distinct 12 MP JPEGs: five photo-like bases (plain to camera-grain,
    as in bench_prepare), a unique patch and caption on each."""
    from bench_prepare import GRAIN_LEVELS, synthetic_photo

    bases = [synthetic_photo(seed) for seed in range(len(GRAIN_LEVELS))]

    def jpeg(n: int) -> bytes:
        img = bases[n % len(bases)].copy()
        draw = ImageDraw.Draw(img)
        x, y = (n * 137) % 3000, (n * 89) % 2200
        draw.rectangle((x, y, x + 900, y + 700), fill=((n * 40) % 256, 90, (n * 7) % 256))
        draw.text((x + 20, y + 20), f"item {n}", fill=(255, 255, 255))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=90)
        return out.getvalue()

    return jpeg


class ServerProcess:
    """`reviewer-server serve` in its own process, as in production: the server's request
    handling must not share the app's interpreter (and GIL) while we time the app."""

    def __init__(self, db_url: str, data_dir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.data_dir = data_dir
        self._process = subprocess.Popen(
            [sys.executable, "-c", "from server.cli import main; raise SystemExit(main())",
             "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url,
             "--data-dir", str(data_dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/openapi.json", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the review server did not start")

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(10)


def start_server(tmp: Path, items: int) -> tuple[ServerProcess, list[bytes]]:
    """A server process, demo users, a queue of `items` 12 MP JPEGs; some bytes kept."""
    from server.db import Database
    from server.seed import seed_demo
    from server.services.items import ensure_queue

    db_url = f"sqlite:///{tmp / 'server.db'}"
    data_dir = tmp / "server-data"
    data_dir.mkdir()
    seed_demo(db_url, data_dir, passwords=PASSWORDS, scale="small")
    database = Database(db_url)
    with database.session() as session:
        ensure_queue(session, QUEUE, title="Benchmark (12 MP JPEG)", sensitivity=2)
    database.dispose()
    server = ServerProcess(db_url, data_dir)
    jpeg = make_jpegs(items)
    with httpx.Client(base_url=server.url + "/api/v1", timeout=60) as client:
        token = client.post("/auth/token", json={"username": "admin",
                                                 "password": PASSWORDS["admin"]}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}

        def ingest(n: int, data: bytes) -> bytes:
            body = {"queue": QUEUE, "kind": "image", "mime": "image/jpeg",
                    "media_base64": base64.b64encode(data).decode(), "category": "bench",
                    "severity": n % 4, "context": {"description": f"12 MP JPEG #{n}"}}
            client.post("/items", json=body, headers=headers).raise_for_status()
            return data

        # Encode on two threads; post one at a time (the SQLite server has one writer).
        with ThreadPoolExecutor(max_workers=2) as pool:
            kept = [ingest(n, data) for n, data in enumerate(pool.map(jpeg, range(items)))]
    return server, kept


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def describe(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: no samples"
    return (f"{name}: n={len(values)}  p50={percentile(values, 50):.1f} ms  "
            f"p99={percentile(values, 99):.1f} ms  max={max(values):.1f} ms")


def time_calls(obj: Any, name: str) -> list[float]:
    """Replace obj.name by a timed wrapper; returns the list the timings go to (ms)."""
    samples: list[float] = []
    original = getattr(obj, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            samples.append((time.perf_counter() - start) * 1000)

    setattr(obj, name, timed)
    return samples


def review_loop(app: Any, window: Any, count: int) -> tuple[list[float], int]:
    """Decide `count` items by key; returns key -> next item painted (ms) and the number
    of times the next item was not prepared yet when the key was pressed."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    painted: list[float] = []
    window.view.paint_hooks.append(lambda: painted.append(time.perf_counter()))
    latencies: list[float] = []
    not_ready = stalls = 0

    def pump_until(condition: Callable[[], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                return False
            app.processEvents()
            time.sleep(0.001)
        return True

    for _ in range(count):
        if not pump_until(lambda: window.state == "question", 60):
            break
        if not window.session.upcoming(1) and window.filling:
            stalls += 1  # the reviewer outran the batch download: wait for it, not measured
            pump_until(lambda: bool(window.session.upcoming(1)) or not window.filling, 60)
        upcoming = window.session.upcoming(1)
        size = window.view.target_size()
        if upcoming and not pump_until(
            lambda u=upcoming[0], s=size: window.preparer.get(u.item.id, s) is not None, 2.0
        ):
            not_ready += 1  # measured anyway: this is the cost of a cold item
        before = window.current_id
        painted.clear()
        target = QApplication.focusWidget() or window
        start = time.perf_counter()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_1,
                                                     Qt.KeyboardModifier.NoModifier, "1"))
        if not pump_until(
            lambda b=before: window.current_id != b and window.view.kind == "image"
            and bool(painted), 30
        ):
            break
        latencies.append((painted[-1] - start) * 1000)
    print(f"waited for a batch download before a key press: {stalls} times")
    return latencies, not_ready


def compare_preparation(originals: list[bytes], target: tuple[int, int],
                        naive_samples: int) -> dict[str, list[float]]:
    """Per image, one thread, same run: the server's preview (made here with the
    server's own code, as at ingest), preparing what the app shows, and for the first
    `naive_samples` images preparing the original and the naive approach."""
    from reviewer.protocol import WellnessPolicy
    from server.renditions import make_preview
    from wellness.protect import naive_protect, prepare_image

    policy = WellnessPolicy()
    times: dict[str, list[float]] = {"preview": [], "shown": [], "original": [], "naive": []}
    sizes: list[int] = []
    made = 0

    def timed(name: str, call: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = call()
        times[name].append((time.perf_counter() - start) * 1000)
        return result

    for n, data in enumerate(originals):
        preview = timed("preview", lambda d=data: make_preview(d, "image/jpeg"))
        made += preview is not None
        shown = preview or data
        sizes.append(len(shown))
        timed("shown", lambda d=shown, n=n: prepare_image(d, "image/jpeg", target, policy, n % 4))
        if n < naive_samples:
            timed("original",
                  lambda d=data, n=n: prepare_image(d, "image/jpeg", target, policy, n % 4))
            timed("naive", lambda d=data, n=n: naive_protect(d, policy, n % 4))
    print(f"previews: {made} of {len(originals)} images; shown bytes "
          f"{statistics.mean(sizes) / 1e6:.2f} MB avg "
          f"(originals {statistics.mean(len(o) for o in originals) / 1e6:.2f} MB avg)")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--naive-samples", type=int, default=20)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    isolate(tmp)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    started = time.monotonic()
    server, jpegs = start_server(tmp, args.items)
    print(f"server seeded with {args.items} x 12 MP JPEG "
          f"({statistics.mean(len(j) for j in jpegs) / 1e6:.2f} MB avg) "
          f"in {time.monotonic() - started:.1f} s")

    from reviewer.workstation import Workstation
    from ui.review.window import ReviewWindow
    from ui.workers import Workers

    workstation = Workstation.open()
    workstation.login(server.url, "demo", PASSWORDS["demo"])
    session = workstation.start_review(QUEUE)
    workers = Workers()
    window = ReviewWindow(workstation, session, workers, workstation.sync_loop)
    prep_ms = time_calls(window.preparer.decoder, "prepare")
    decide_ms = time_calls(session, "decide")
    commit_ms = time_calls(session.store, "outbox_add")
    window.show()
    window.activateWindow()
    started = time.monotonic()
    latencies, not_ready = review_loop(app, window, args.items - 1)
    elapsed = time.monotonic() - started
    if len(latencies) < args.items - 1:
        print(f"stopped early: state={window.state} view={window.view.kind} "
              f"message={window.status.currentMessage()!r} status={session.status()}")
    target = window.view.target_size()
    print(f"review loop: {len(latencies)} decisions in {elapsed:.1f} s; view {target[0]}x"
          f"{target[1]}; next item not yet prepared at key press: {not_ready}")
    print(describe("decision key -> next item painted", latencies))
    print(describe("  of which ReviewSession.decide", decide_ms))
    print(describe("    of which the durable outbox commit", commit_ms))
    print(describe("preparation in the app (decoder child process, incl. transfer)", prep_ms))
    times = compare_preparation(jpegs, target, args.naive_samples)
    print(describe("prepare_image on what the app shows (the preview)", times["shown"]))
    print(describe("prepare_image on the 12 MP original (draft decoding)", times["original"]))
    print(describe("naive_protect on the 12 MP original (full decode + blur)", times["naive"]))
    print(describe("preview made by the server at ingest (once per item)", times["preview"]))
    if times["naive"]:
        naive = statistics.median(times["naive"])
        print(f"naive / prepared (median): {naive / statistics.median(times['shown']):.1f}x "
              f"from the preview; {naive / statistics.median(times['original']):.1f}x "
              f"from the original")
    window.close()
    workers.shutdown()
    workstation.close()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
