"""Run by test_ui_app_lifetime: the real app (`run_app`) driven to the review window.

Usage: python app_lifetime_run.py DATA_DIR SERVER_URL QUEUE (password on stdin).
Logs in, lets the app open the review workspace, chooses QUEUE in the queue picker as a
person would (Enter), waits until the decoder child process runs, prints the pids of all
of this process's children on one line, then keeps running `run_app` until it is told
to stop (a signal, or Ctrl+Q when the first argument after QUEUE is "ctrl-q").
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


def children(pid: int) -> list[int]:
    """Pids whose parent is `pid`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def main() -> None:
    data_dir, server_url, queue = sys.argv[1:4]
    quit_by_key = sys.argv[4:5] == ["ctrl-q"]
    password = sys.stdin.readline().strip()
    QApplication([])
    workstation = Workstation.open(Path(data_dir))
    workstation.login(server_url, "demo", password)

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if (widget.objectName() == "queuePicker" and widget.isVisible()
                    and widget.list.count()):
                rows = [widget.list.item(i).data(Qt.ItemDataRole.UserRole)
                        for i in range(widget.list.count())]
                widget.list.setCurrentRow(rows.index(queue))
                QTest.keyClick(widget.list, Qt.Key.Key_Return)
            if widget.objectName() == "reviewWindow" and widget.preparer.decoder.child_pids():
                print(" ".join(map(str, children(os.getpid()))), flush=True)
                if quit_by_key:
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
