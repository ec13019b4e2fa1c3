"""A plain QWidget that counts the key events it gets, run as a child on an X display
(see qt_child.py). It prints "window <id>" once shown, "focused" when it has the keyboard,
and on the release of F12 (the test's "that's all" key) "report <json>": per key, presses,
releases and how many of each Qt flagged as auto-repeat; then it starts counting afresh.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from PySide6.QtCore import QSocketNotifier, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


class KeyCounter(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.counts: defaultdict[str, defaultdict[str, int]] = defaultdict(
            lambda: defaultdict(int))

    def _count(self, event: QKeyEvent, kind: str) -> None:
        name = event.text() or Qt.Key(event.key()).name
        self.counts[name][kind] += 1
        if event.isAutoRepeat():
            self.counts[name][f"{kind}_repeat"] += 1

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() != Qt.Key.Key_F12:
            self._count(event, "press")

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F12:
            if not event.isAutoRepeat():
                print("report", json.dumps(self.counts), flush=True)
                self.counts.clear()
            return
        self._count(event, "release")

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        print("focused", flush=True)


def main() -> None:
    app = QApplication(sys.argv)
    counter = KeyCounter()
    counter.setGeometry(0, 0, 400, 300)
    counter.show()
    print("window", int(counter.winId()), flush=True)
    commands = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    commands.activated.connect(lambda: sys.stdin.readline().strip() in ("quit", "") and
                               app.quit())
    app.exec()


if __name__ == "__main__":
    main()
