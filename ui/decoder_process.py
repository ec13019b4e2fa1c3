"""Image preparation in a separate, lower-priority process.

Decoding untrusted media and blurring it is the heaviest work the app does. Doing it in
a child process, not in threads of the app, buys three things:

- the GUI thread never waits for the GIL behind a decoder, so a decision key still
  paints the next item within a frame while the next images are being prepared;
- the child runs at a lower CPU priority (`nice`), so on a small machine the paint wins;
- a decoder that crashes on hostile media (a segfault, an abort, memory exhaustion)
  kills the child, not the app: the item becomes "cannot display" and a fresh child
  takes the next one.

The child imports only `wellness` and Pillow (spawned, never forked: forking a process
that runs Qt threads is unsafe). Never call `prepare` on the GUI thread: it waits.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from reviewer.protocol import WellnessPolicy
from wellness.protect import MediaError, PreparedImage, prepare_image

CHILD_NICENESS = 10
CRASH_REASON = "The image crashed the decoder and cannot be displayed safely."


def _lower_priority() -> None:
    # Where lowering the priority is not permitted, the same priority is still correct.
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICENESS)


class DecoderProcess:
    """A pool of one or more child processes running `wellness.protect.prepare_image`."""

    def __init__(self, processes: int = 1, work: Callable[..., PreparedImage] = prepare_image
                 ) -> None:
        self._processes = processes
        self._work = work  # a module-level function: it is pickled by name for the child
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def _ensure_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the decoder process is shut down")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self._processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_lower_priority,
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def prepare(
        self,
        data: bytes,
        declared_mime: str,
        target: tuple[int, int],
        policy: WellnessPolicy,
        severity: int,
    ) -> PreparedImage:
        """[W] `prepare_image` in a child; raises MediaError, also when the child died.

        A dying child breaks every job in flight, not just its own, so a broken pool is
        retried once in a fresh child: only an item that kills the decoder twice is
        blamed for it.
        """
        args = (data, declared_mime, target, policy, severity)
        for attempt in (1, 2):
            pool = self._ensure_pool()
            try:
                return pool.submit(self._work, *args).result()
            except BrokenProcessPool as exc:
                self._discard(pool)
                if attempt == 2:
                    raise MediaError(CRASH_REASON) from exc
        raise AssertionError("unreachable")

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
