"""Steps the Qt tests share: log in, wait for an item, press keys, ask the server.

Kept out of conftest.py so test modules import it by a name no other test folder uses.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx

PASSWORDS = {  # made fresh each run: no password is written down anywhere
    name: f"{name}-{secrets.token_urlsafe(12)}" for name in ("demo", "qa", "wellness", "admin")
}


def biggest_queue(workstation: Any) -> str:
    return max(workstation.queues(), key=lambda q: q.pending).name


def sync_now(workstation: Any) -> Any:
    """One sync round on the test's thread (the background loop is off in these tests)."""
    return workstation.sync_engine().sync_once()


def wait_for_question(qtbot: Any, window: Any, timeout: int = 15000) -> None:
    """Wait until the window shows an item and takes decision keys."""
    qtbot.waitUntil(lambda: window.state == "question", timeout=timeout)


def qa_decisions(server: Any) -> list[Any]:
    """Every decision the server holds, read as the QA lead over HTTP."""
    from reviewer.protocol import QADecisions

    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as client:
        reply = client.post("/auth/token", json={"username": "qa", "password": PASSWORDS["qa"]})
        reply.raise_for_status()
        token = reply.json()["access_token"]
        reply = client.get(
            "/qa/decisions", params={"limit": 1000},
            headers={"Authorization": f"Bearer {token}"},
        )
        reply.raise_for_status()
    return QADecisions.model_validate(reply.json()).data


def first_key_action(window: Any) -> tuple[str, str]:
    """The (key, action) of the queue's decision bound to key 1."""
    command = next(c for c in window.table.decisions() if c.key == "1")
    return command.key, command.decides


def press(qtbot: Any, window: Any, key: str) -> None:
    """Click a key written as in the shortcut table ("1", "E", "Ctrl+Z", "Space")."""
    from PySide6.QtGui import QKeySequence

    combination = QKeySequence(key)[0]
    qtbot.keyClick(window, combination.key(), combination.keyboardModifiers())


def decide_current(qtbot: Any, window: Any, key: str = "1") -> tuple[str, str]:
    """Decide the shown item by key (E for broken items); returns (item_id, action)."""
    wait_for_question(qtbot, window)
    item_id = window.current_id
    if window.broken:
        key = "E"
    action = next(c.decides for c in window.table.decisions() if c.key == key)
    press(qtbot, window, key)
    qtbot.waitUntil(lambda: window.current_id != item_id
                    or window.state in ("loading", "break", "capped"), timeout=5000)
    return item_id, action


def decide_by_key(qtbot: Any, window: Any, key: str) -> str:
    """Press a decision key on the shown item and wait for the next; returns the item id."""
    wait_for_question(qtbot, window)
    item_id = window.current_id
    press(qtbot, window, key)
    qtbot.waitUntil(lambda: window.current_id != item_id, timeout=5000)
    return item_id


def _token(client: httpx.Client, username: str) -> str:
    reply = client.post("/auth/token",
                        json={"username": username, "password": PASSWORDS[username]})
    reply.raise_for_status()
    return reply.json()["access_token"]


def set_wellness_policy(server: Any, scope: str = "default", reviewer: str | None = None,
                        **caps: Any) -> None:
    """PUT /wellness/policies/<scope> as the wellness coordinator. The default scope, since
    a team's or reviewer's own policy may only tighten it (shorter breaks would not count);
    `reviewer` names a reviewer's own scope (`user:<reviewer>`) for a tighter cap."""
    from reviewer.protocol import WellnessPolicy, WellnessPolicyPut

    if reviewer is not None:
        scope = f"user:{reviewer}"
    body = WellnessPolicyPut(policy=WellnessPolicy(**caps)).model_dump(mode="json")
    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as client:
        token = _token(client, "wellness")
        reply = client.put(f"/wellness/policies/{scope}", json=body,
                           headers={"Authorization": f"Bearer {token}"})
        reply.raise_for_status()



def save_screenshot(widget: Any, name: str) -> None:
    """With UI_SCREENSHOT_DIR set, save what the widget shows (for looking at by eye)."""
    import os
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from ui.app import load_style

    folder = os.environ.get("UI_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        if not widget.window().styleSheet():
            widget.window().setStyleSheet(load_style())  # as the app shows it
            for _ in range(3):  # let the layouts take the style's font sizes
                QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"{name}.png"))
