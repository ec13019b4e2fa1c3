"""The wellness console: never content on the wire, validation next to the field, and a
policy edited here reaches a reviewer's client online and from its cache offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from sqlalchemy import select
from ui_helpers import PASSWORDS, biggest_queue

from reviewer.api import ApiClient
from reviewer.coordinator import CoordinatorService
from server.db import Database
from server.models import Item
from ui.coordinator.console import CoordinatorConsole
from wellness.exposure import ExposureBudget
from wellness.protect import protect, warning_card
from wellness.protection import protection_for


@pytest.fixture
def console(qtbot: Any, seeded_server: Any, workers: Any):
    api = ApiClient(seeded_server.url)
    api.login("wellness", PASSWORDS["wellness"])
    widget = CoordinatorConsole(CoordinatorService(api), workers)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()
    api.close()


def _edit(qtbot: Any, console: CoordinatorConsole, scope: str, values: dict[str, Any]) -> None:
    """Type a new scope's values into the form and press Ctrl+S."""
    panel = console.policies
    console.tabs.setCurrentWidget(panel)
    panel.new_scope()
    panel.form.scope.setText(scope)
    for name, value in values.items():
        row = panel.form.rows[name]
        row.set_here.setChecked(True)
        if name == "blur_by_severity":
            for combo, level in zip(row.editor.findChildren(QComboBox), value, strict=True):
                combo.setCurrentText(level)
        else:
            row.editor.setText(str(value))
    panel.form.scope.setFocus()
    qtbot.keyClick(panel.form.scope, "s", modifier=Qt.KeyboardModifier.ControlModifier)


def test_console_requests_no_media_item_text_or_item_ids(qtbot: Any, console: Any,
                                                         seeded_server: Any,
                                                         tmp_path: Path) -> None:
    requests: list[httpx.Request] = []
    bodies: list[str] = []

    def on_response(response: httpx.Response) -> None:
        response.read()
        bodies.append(response.text)

    console.policies._service._api._http.event_hooks = {"request": [requests.append],
                                                        "response": [on_response]}
    console.start()
    qtbot.waitUntil(lambda: console.report.summary is not None, timeout=15000)
    _edit(qtbot, console, "team:vendor-a", {"daily_item_cap": 300})
    qtbot.waitUntil(lambda: "Saved" in console.policies.status.text(), timeout=15000)
    qtbot.waitUntil(lambda: console.policies.current_scope() == "team:vendor-a", timeout=15000)
    table = console.report.reviewers  # Enter on a reviewer's row: their effective policy
    console.tabs.setCurrentWidget(console.report)
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "demo")
    table.setCurrentCell(row, 0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.effective.table.rowCount() > 0, timeout=15000)
    assert console.tabs.currentWidget() is console.effective
    assert console.effective.username.text() == "demo"
    sources = {console.effective.table.item(r, 0).text(): console.effective.table.item(r, 2)
               .text() for r in range(console.effective.table.rowCount())}
    assert sources["daily_item_cap"] == "team:vendor-a"  # demo is in vendor-a
    panel = console.policies  # Ctrl+Delete removes the chosen scope's policy
    console.tabs.setCurrentWidget(panel)
    panel.scopes.setFocus()
    qtbot.keyClick(panel.scopes, Qt.Key.Key_Delete, modifier=Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Deleted" in panel.status.text(), timeout=15000)
    qtbot.waitUntil(lambda: panel.scopes.count() == 0, timeout=15000)
    console.report.export_to(tmp_path)
    qtbot.waitUntil(lambda: "Exported" in console.report.status.text(), timeout=15000)
    assert len(list(tmp_path.glob("*.csv"))) == 4

    assert requests and all(r.url.path.startswith("/api/v1/wellness/") for r in requests)
    db = Database(seeded_server.db_url)
    try:
        with db.session() as session:
            items = session.execute(select(Item.id, Item.text, Item.media_sha256)).all()
    finally:
        db.dispose()
    seen = "\n".join(bodies) + "\n".join(str(r.url) for r in requests)
    for item_id, text, sha256 in items:
        assert item_id not in seen
        assert not text or text not in seen
        assert not sha256 or sha256 not in seen


def test_invalid_values_are_shown_next_to_their_field(qtbot: Any, console: Any) -> None:
    _edit(qtbot, console, "default", {"reveal_timeout_s": "500", "daily_item_cap": "many"})
    form = console.policies.form
    errors = form.errors()
    assert "120" in errors["reveal_timeout_s"]
    assert "integer" in errors["daily_item_cap"]
    assert "Correct the fields" in console.policies.status.text()
    _edit(qtbot, console, "user:nobody", {"daily_item_cap": "5"})  # only the server knows
    qtbot.waitUntil(lambda: "scope" in form.errors(), timeout=15000)
    assert "nobody" in form.errors()["scope"]


def test_a_policy_edited_in_the_console_reaches_a_reviewer_online_and_offline(
        qtbot: Any, console: Any, seeded_server: Any, workstation: Any) -> None:
    _edit(qtbot, console, "user:demo", {
        "daily_reveal_seconds_cap": 60, "reveal_timeout_s": 4,
        "blur_by_severity": ["warning", "warning", "warning", "warning"]})
    qtbot.waitUntil(lambda: "Saved" in console.policies.status.text(), timeout=15000)

    workstation.login(seeded_server.url, "demo", PASSWORDS["demo"])
    queue = biggest_queue(workstation)
    online = workstation.start_review(queue, background_sync=False).policy
    seeded_server.stop()
    offline = workstation.start_review(queue, background_sync=False).policy  # from cache
    for policy in (online, offline):
        assert (policy.daily_reveal_seconds_cap, policy.reveal_timeout_s) == (60, 4)
        assert protection_for(policy, "spam", 1).shows_nothing
        scene = Image.new("RGB", (64, 48), (200, 10, 10))
        assert protect(scene, policy, 1) == warning_card((64, 48))
        budget = ExposureBudget(policy, seconds_today=60, reveals_for_item=0).check()
        assert not budget.allowed and "1 min" in (budget.reason or "")
