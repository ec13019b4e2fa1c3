"""How the app ends when asked from outside: SIGTERM, SIGINT and SIGHUP quit the event loop.

Python runs its signal handlers only between bytecodes, and Qt's event loop may sit in C
for as long as nothing happens, so the handlers would wait for the next key press. The
C-level handler writes the signal to a socket (`signal.set_wakeup_fd`) that Qt watches;
that wakes the loop, Python runs the handler, and the handler asks the loop to quit. The
code after `app.exec()` then closes the windows, ends the decoder child processes and
the workers, exactly as when the person quits with Ctrl+Q.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                     if hasattr(signal, name))


@contextlib.contextmanager
def quit_on_signals(app: QApplication) -> Iterator[list[int]]:
    """While inside, each of QUIT_SIGNALS quits `app`'s event loop; yields the list of
    signals received (for the exit code and for tests)."""
    received: list[int] = []
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda *_: _drain(reader))

    def handler(signum: int, _frame: Any) -> None:
        received.append(signum)
        app.quit()

    previous = {sig: signal.signal(sig, handler) for sig in QUIT_SIGNALS}
    old_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    try:
        yield received
    finally:
        signal.set_wakeup_fd(old_fd)
        for sig, old in previous.items():
            signal.signal(sig, old)
        notifier.setEnabled(False)
        reader.close()
        writer.close()


def _drain(reader: socket.socket) -> None:
    with contextlib.suppress(BlockingIOError, OSError):
        while reader.recv(64):
            pass
