"""`run_app` resumes a stored login and opens the queue picker (what `reviewer` does)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui_helpers import PASSWORDS


def test_run_app_resumes_a_stored_login_and_opens_the_queue_picker(
    qtbot: Any, seeded_server: Any, workstation: Any
) -> None:
    from ui.app import run_app

    workstation.login(seeded_server.url, "demo", PASSWORDS["demo"])
    seen: dict[str, int] = {}

    def look() -> None:
        pickers = [w for w in QApplication.topLevelWidgets()
                   if w.objectName() == "queuePicker" and w.isVisible()]
        if pickers and pickers[0].list.count():
            seen["queues"] = pickers[0].list.count()
            seen["row"] = pickers[0].list.currentRow()
            pickers[0].reject()  # Cancel in the picker quits the app
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    QTimer.singleShot(20000, QApplication.quit)  # never hang the suite
    assert run_app(workstation) == 0
    assert seen == {"queues": len(workstation.queues()), "row": 0}
