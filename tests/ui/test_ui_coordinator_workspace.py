"""A wellness account logs in through the real dialogs and lands in the console, which
holds an API-only service and loads policies and the report without asking for content."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from ui_helpers import PASSWORDS

CONTENT_PATHS = ("/api/v1/media", "/api/v1/queues", "/api/v1/leases", "/api/v1/decisions",
                 "/api/v1/qa", "/api/v1/items")


def test_a_wellness_account_lands_in_the_console(qtbot: Any, seeded_server: Any,
                                                 workstation: Any, workers: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.app import AppFlow
    from ui.coordinator.entry import CoordinatorWindow

    paths: list[str] = []
    send = httpx.Client.send

    def watched(client: httpx.Client, request: httpx.Request, **kwargs: Any) -> Any:
        paths.append(request.url.path)  # the real request still goes out
        return send(client, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", watched)
    flow = AppFlow(workstation, workers)
    flow.start()
    qtbot.waitUntil(lambda: flow.login is not None and flow.login.isVisible(), timeout=10000)
    login = flow.login
    qtbot.addWidget(login)
    qtbot.keyClicks(login.server, seeded_server.url)
    qtbot.keyClicks(login.username, "wellness")
    qtbot.keyClicks(login.password, PASSWORDS["wellness"])
    qtbot.keyClick(login.password, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: isinstance(flow.window, CoordinatorWindow), timeout=10000)
    window = flow.window
    qtbot.addWidget(window)
    assert flow.workspace_id == "wellness"
    assert "Wellness console" in window.windowTitle()
    console = window.console
    qtbot.waitUntil(lambda: console.report.summary is not None, timeout=15000)
    qtbot.waitUntil(lambda: "stored policies" in console.policies.status.text(), timeout=15000)
    assert {r.reviewer for r in console.report.summary.reviewers} >= {"demo"}
    # the console's service holds the API client and nothing else: no store, no vault
    assert list(vars(console.policies._service)) == ["_api"]
    assert any(p.startswith("/api/v1/wellness/") for p in paths)
    assert not [p for p in paths if p.startswith(CONTENT_PATHS)]
    window.close()
