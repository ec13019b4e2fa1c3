"""Running the coordinator's calls off the GUI thread, and their errors as sentences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.errors import AuthExpired
from ui.errors import explain
from ui.workers import Op, Workers

Failed = Callable[[str, BaseException], None]


class Background:
    """`run(call, done)`: `call` on the network worker, `done(result)` on the GUI thread;
    a failure goes to `failed(sentence, error)`, and an expired session also to
    `auth_expired()` (the shell's login)."""

    def __init__(self, workers: Workers, failed: Failed,
                 auth_expired: Callable[[], None] | None = None) -> None:
        self._workers = workers
        self._failed = failed
        self._auth_expired = auth_expired

    def run(self, call: Callable[[], Any], done: Callable[[Any], None],
            failed: Failed | None = None) -> None:
        on_error = failed or self._failed

        def fail(error: BaseException) -> None:
            on_error(explain(error), error)
            if isinstance(error, AuthExpired) and self._auth_expired is not None:
                self._auth_expired()

        Op(call).success(done).failure(fail).run_on(self._workers.network, self._workers)
