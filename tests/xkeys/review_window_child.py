"""The real review window on the test's X display (Qt's xcb platform), for the
real-keyboard tests; see qt_child.py for how the test talks to it.

Usage: python review_window_child.py DATA_DIR SERVER_URL QUEUE (password on stdin).
Prints "window <id>" once an item can be decided, "focused" when the window is active, and
on the release of F12 (the test's "that's all" key, bound to nothing in the app)
"report <json>": the items decided, newest first, how many reveals started, the reveals
the exposure ledger holds for the item on screen, and that item's id.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from reviewer.workstation import Workstation
from ui.review.window import ReviewWindow
from ui.workers import Workers


class Reporter(QObject):
    """Counts reveals and answers F12 with what the window has done."""

    def __init__(self, window: ReviewWindow) -> None:
        super().__init__()
        self.window, self.reveals = window, 0
        window.reveal.changed.connect(self._reveal_changed)

    def _reveal_changed(self, revealed: bool) -> None:
        self.reveals += revealed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (event.type() == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_F12 and not event.isAutoRepeat()
                and watched is self.window.windowHandle()):
            print("report", json.dumps(self.report()), flush=True)
        elif event.type() == QEvent.Type.WindowActivate and watched is self.window:
            print("focused", flush=True)
        return False

    def report(self) -> dict[str, object]:
        session, current = self.window.session, self.window.current_id
        ledger = session.store.ledger_reveals_per_item(session.username, [current or ""])
        return {"decided": [entry.decision.item_id for entry in session.history(50)],
                "reveals_started": self.reveals, "ledger_reveals": ledger.get(current or "", 0),
                "revealing": self.window.reveal.active, "current": current}


def main() -> None:
    data_dir, server_url, queue = sys.argv[1:4]
    password = sys.stdin.readline().strip()
    app = QApplication([])
    workstation = Workstation.open(Path(data_dir))
    workstation.login(server_url, "demo", password)
    session = workstation.start_review(queue, background_sync=False)
    workers = Workers()
    window = ReviewWindow(workstation, session, workers, sync_loop=None)
    window.setGeometry(0, 0, 1150, 740)
    window.show()
    deadline = time.monotonic() + 60
    while window.state != "question" or window.broken:
        if time.monotonic() > deadline:
            raise SystemExit("no decidable item appeared")
        app.processEvents()
        time.sleep(0.01)
    reporter = Reporter(window)
    app.installEventFilter(reporter)
    print("window", int(window.winId()), flush=True)
    commands = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    commands.activated.connect(lambda: sys.stdin.readline().strip() in ("quit", "")
                               and window.close())
    window.closed.connect(app.quit)
    app.exec()
    workers.shutdown()
    workstation.close()


if __name__ == "__main__":
    main()
