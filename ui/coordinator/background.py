"""Running the coordinator's calls off the GUI thread, and their errors as sentences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui.workers import Op, Workers


class Background:
    """`run(call, done)`: `call` on the network worker, `done(result)` on the GUI thread;
    a failure goes to `failed(sentence, error)`."""

    def __init__(self, workers: Workers, failed: Callable[[str, BaseException], None]) -> None:
        self._workers = workers
        self._failed = failed

    def run(self, call: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[str, BaseException], None] | None = None) -> None:
        on_error = failed or self._failed
        Op(call).success(done).failure(lambda error: on_error(sentence(error), error)).run_on(
            self._workers.network, self._workers)


def sentence(error: BaseException) -> str:
    """What to tell the coordinator: the core's own sentence, never a traceback."""
    message = getattr(error, "message", None)
    return message if isinstance(message, str) and message else "Something went wrong."
