"""Run by test_ui_sigkill: the real review window, one decision key, then wait to die.

Usage: python sigkill_review_window.py DATA_DIR SERVER_URL QUEUE (password on stdin).
Prints the decided item's id as soon as the key event has been handled.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reviewer.workstation import Workstation  # noqa: E402
from ui.review.window import ReviewWindow  # noqa: E402
from ui.workers import Workers  # noqa: E402


def main() -> None:
    data_dir, server_url, queue = sys.argv[1:4]
    password = sys.stdin.readline().strip()
    app = QApplication([])
    workstation = Workstation.open(Path(data_dir))
    workstation.login(server_url, "demo", password)
    session = workstation.start_review(queue, background_sync=False)
    window = ReviewWindow(workstation, session, Workers(), sync_loop=None)
    window.show()
    deadline = time.monotonic() + 30
    while window.state != "question" or window.broken:
        if time.monotonic() > deadline:
            raise SystemExit("no decidable item appeared")
        app.processEvents()
        time.sleep(0.01)
    item_id = window.current_id
    QTest.keyClick(window, Qt.Key.Key_1)
    print(item_id, flush=True)  # the key is handled: the parent kills us now
    while True:
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    main()
