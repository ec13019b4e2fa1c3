"""Run by test_net_quit: the real app (`run_app`) on QUEUE as reviewer `rev`.

Usage: python app_quit_run.py DATA_DIR SERVER_URL QUEUE sigterm|ctrl-q (password on
stdin). Chooses QUEUE in the queue picker, prints "reviewing" once the review window
shows an item, then waits for SIGTERM or presses Ctrl+Q itself; prints "exited CODE".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reviewer.workstation import Workstation  # noqa: E402
from ui.app import run_app  # noqa: E402


def main() -> None:
    data_dir, server_url, queue, how = sys.argv[1:5]
    password = sys.stdin.readline().strip()
    QApplication([])
    workstation = Workstation.open(Path(data_dir))
    workstation.login(server_url, "rev", password)

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if (widget.objectName() == "queuePicker" and widget.isVisible()
                    and widget.list.count() and widget.chosen is None):
                rows = [widget.list.item(i).data(Qt.ItemDataRole.UserRole)
                        for i in range(widget.list.count())]
                widget.list.setCurrentRow(rows.index(queue))
                QTest.keyClick(widget.list, Qt.Key.Key_Return)
            if widget.objectName() == "reviewWindow" and widget.state == "question":
                print("reviewing", flush=True)
                if how == "ctrl-q":
                    QTest.keyClick(widget, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
                return
        QTimer.singleShot(50, drive)

    QTimer.singleShot(50, drive)
    code = run_app(workstation)
    workstation.close()
    print(f"exited {code}", flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
