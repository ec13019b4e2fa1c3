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

The child never outlives the app: `shutdown()` ends it (the object that uses the decoder
owns it and shuts it down when it closes), and should the app die without running any
code (SIGKILL, a crash), the child dies with it: the kernel sends it SIGKILL when its
parent goes (Linux `PR_SET_PDEATHSIG`), and a watchdog thread in the child exits when
its parent process is gone (everywhere else).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import thread as _thread_pools  # noqa: F401  (see _end_all_at_exit)
from concurrent.futures.process import BrokenProcessPool

from reviewer.protocol import WellnessPolicy
from wellness.protect import MediaError, PreparedImage, prepare_image

CHILD_NICENESS = 10
CRASH_REASON = "The image crashed the decoder and cannot be displayed safely."
PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 1.0
LIVENESS_SECONDS = 1.0
"""How often a thread waiting for a result checks that the children are still there."""


def _child_setup(parent: int) -> None:
    """Runs first in every decoder child: lower priority, and die with the parent.

    `parent` is the app's pid as the app saw it: a child that starts slowly may find the
    app already gone (and itself re-parented), which `os.getppid()` alone cannot tell."""
    # Where lowering the priority is not permitted, the same priority is still correct.
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICENESS)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the app died before the death signal was armed
        os._exit(0)
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watchdog",
                     daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Exit at once when the parent is gone (we are re-parented, so our ppid changes)."""
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(0)


class DecoderProcess:
    """A pool of one or more child processes running `wellness.protect.prepare_image`."""

    def __init__(self, processes: int = 1, work: Callable[..., PreparedImage] = prepare_image
                 ) -> None:
        self._processes = processes
        self._work = work  # a module-level function: it is pickled by name for the child
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        _LIVE.add(self)

    def _ensure_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the decoder process is shut down")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self._processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_child_setup,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        _end(pool)

    def start(self) -> None:
        """[W] Start the child process now (it takes a few hundred milliseconds), so the
        first item prepared does not wait for it."""
        self._ensure_pool().submit(_ready).result()

    def prepare(
        self,
        data: bytes,
        declared_mime: str,
        target: tuple[int, int],
        policy: WellnessPolicy,
        severity: int,
        category: str | None = None,
    ) -> PreparedImage:
        """[W] `prepare_image` in a child; raises MediaError, also when the child died.

        A dying child breaks every job in flight, not just its own, so a broken pool is
        retried once in a fresh child: only an item that kills the decoder twice is
        blamed for it.
        """
        args = (data, declared_mime, target, policy, severity, category)
        for attempt in (1, 2):
            pool = self._ensure_pool()
            try:
                return self._result(pool, pool.submit(self._work, *args))
            except BrokenProcessPool as exc:
                self._discard(pool)
                if attempt == 2:
                    raise MediaError(CRASH_REASON) from exc
        raise AssertionError("unreachable")

    def _result(self, pool: ProcessPoolExecutor, job: Future[PreparedImage]) -> PreparedImage:
        """The job's result. A child killed halfway through its reply (with the thread that
        started it: PR_SET_PDEATHSIG follows the thread) leaves the pool waiting for the
        rest for ever; seeing the child gone breaks the pool instead."""
        while True:
            try:
                return job.result(timeout=LIVENESS_SECONDS)
            except TimeoutError:
                if self._closed or not _alive(pool):
                    raise BrokenProcessPool("a decoder child is gone") from None

    def shutdown(self) -> None:
        """End the child processes now (a job in flight is abandoned) and refuse more."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            _end(pool)

    def child_pids(self) -> list[int]:
        """The pids of the running children (for tests and diagnostics)."""
        with self._lock:
            pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return [p.pid for p in processes.values() if p.pid is not None]


def _ready() -> bool:
    """A job that does nothing: running it means the child is up."""
    return True


def _alive(pool: ProcessPoolExecutor) -> bool:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    return bool(processes) and all(process.is_alive() for process in processes)


def _end(pool: ProcessPoolExecutor) -> None:
    """Shut a pool down without waiting for a job in flight: its children are
    terminated (a hostile image may take a decoder long to finish) and reaped."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)  # shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=2)
    # A child ended halfway through sending a result (a prepared image is megabytes, more
    # than a pipe holds) leaves that result half-written; the app holds the pipe's writing
    # end too, so the pool's manager thread would wait for the rest forever and the app
    # would hang at exit. Closing our end turns the rest into end-of-file: the pool breaks
    # and the job in flight fails instead.
    with contextlib.suppress(Exception):
        results._writer.close()  # type: ignore[union-attr]


_LIVE: weakref.WeakSet[DecoderProcess] = weakref.WeakSet()


def _end_all_at_exit() -> None:
    """Before Python joins the pools' threads at exit, end every decoder still running.

    concurrent.futures joins its manager and worker threads at interpreter exit; a
    decoder child that died halfway through a reply, or a worker thread still waiting on
    one, would make that join wait for ever and the app would never exit. Python runs
    these hooks last-registered first, and both pool modules are imported above, so this
    runs before their joins."""
    for decoder in list(_LIVE):
        with contextlib.suppress(Exception):
            decoder.shutdown()


_register_exit = getattr(threading, "_register_atexit", None)
if _register_exit is not None:
    _register_exit(_end_all_at_exit)
