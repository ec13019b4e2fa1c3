"""Background work for the GUI: two executors and a way back to the GUI thread.

The GUI thread never waits on the network, the disk vault or an image decoder. Work is
an `Op` (Anki's CollectionOp shape): a function run on an executor, with `success` and
`failure` callbacks that always run on the GUI thread, delivered through a Qt signal.
`network` is one thread (login, queues, fill: one conversation with the server at a
time); `store` is one thread for reads of the local store (status bar, history);
`images` has two (read the vault, hand the bytes to a preparer's decoder child process,
which decodes, downscales and protects, then build the QImage).

Python lets one thread run at a time (the GIL), and by default a thread that wants it
back (the GUI thread, after its decision commit) waits up to 5 ms for a busy worker to
let go; `Workers` shortens that to `GIL_SWITCH_SECONDS` for the whole process.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

# Workers hand the GIL back this often when the GUI thread asks for it: the worst wait
# for a key's work to resume after a system call is then ~1 ms, not 5 (a 60 Hz frame is
# 16 ms). Shorter intervals cost the workers throughput in switches for no visible gain.
GIL_SWITCH_SECONDS = 0.001


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from workers are queued to it."""

    finished = Signal(object)
    progress = Signal(object, int, int)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver)
        self.progress.connect(self._deliver_progress)

    @Slot(object)
    def _deliver(self, call: Callable[[], None]) -> None:
        try:
            call()
        except Exception:  # a failing callback must not take the event loop down
            log.exception("callback failed on the GUI thread")

    @Slot(object, int, int)
    def _deliver_progress(
        self, callback: Callable[[int, int], None], done: int, total: int
    ) -> None:
        callback(done, total)


class Workers:
    """The two executors of the app. Create once, on the GUI thread."""

    def __init__(self, image_threads: int = 2) -> None:
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_SECONDS))
        self.network = ThreadPoolExecutor(max_workers=1, thread_name_prefix="network")
        self.images = ThreadPoolExecutor(max_workers=image_threads, thread_name_prefix="prepare")
        # Reads of the local store (status, history): the GUI thread's only SQL is the
        # decision commit itself.
        self.store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-store")
        self._relay = _Relay()
        self.closed = False

    def on_gui(self, call: Callable[[], None]) -> None:
        """Run `call` on the GUI thread soon (safe from any thread)."""
        self._relay.finished.emit(call)

    def progress_reporter(self, callback: Callable[[int, int], None]) -> Callable[[int, int], None]:
        """A (done, total) callback for worker code that forwards to `callback` on the GUI."""
        return lambda done, total: self._relay.progress.emit(callback, done, total)

    def shutdown(self) -> None:
        self.closed = True
        self.network.shutdown(wait=False, cancel_futures=True)
        self.images.shutdown(wait=False, cancel_futures=True)
        self.store.shutdown(wait=False, cancel_futures=True)


class Op:
    """A function to run in the background with GUI-thread callbacks.

    `Op(fn).success(show).failure(explain).run_on(workers.network, workers)`
    """

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._fn = fn
        self._success: Callable[[Any], None] = lambda _result: None
        self._failure: Callable[[BaseException], None] = _log_failure

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._failure = callback
        return self

    def run_on(self, executor: ThreadPoolExecutor, workers: Workers) -> Future[Any] | None:
        """Submit; None when the app is shutting down (late timers are harmless)."""
        if workers.closed:
            return None
        future = executor.submit(self._fn)
        future.add_done_callback(lambda f: workers.on_gui(lambda: self._finish(f)))
        return future

    def _finish(self, future: Future[Any]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            self._failure(error)
        else:
            self._success(future.result())


def _log_failure(error: BaseException) -> None:
    log.error("background work failed", exc_info=error)
