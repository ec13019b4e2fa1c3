"""The QA lead's workspace in the real window, against a seeded live server: a qa_lead
lands in it; a replay shows the events in order, and the QA lead's reveals are gated by
their own caps and logged against them; a blind verdict reaches the server once; the
CSV export round-trips."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from ui_helpers import PASSWORDS, set_wellness_policy

from reviewer.api import ApiClient
from reviewer.protocol import Decision, DecisionEvent
from reviewer.qa import DecisionQuery
from reviewer.qa_export import read_csv

TEXT_QUEUE = "hate-speech"
BROKEN_QUEUE = "violent-imagery"  # the seed's broken cases live here


def _api(server: Any, username: str) -> ApiClient:
    api = ApiClient(server.url)
    api.login(username, PASSWORDS[username])
    return api


def _reviewed(server: Any, count: int = 3, queue: str = TEXT_QUEUE,
              broken_only: bool = False) -> list[Decision]:
    """`count` decisions by `demo` (text items by default), each with a 1.2 s reveal."""
    api = _api(server, "demo")
    try:
        lease = api.lease(queue, 100 if broken_only else count)
        if broken_only:
            lease.items = [i for i in lease.items
                           if i.context.get("test_case", "").startswith("broken:")][:count]
        now = datetime.now(UTC)
        decisions = [Decision(
            decision_id=uuid.uuid4(), item_id=item.id, lease_id=lease.lease_id,
            action=lease.taxonomy.actions[n % 2].id, started_at=now - timedelta(seconds=3),
            decided_at=now, events=[
                DecisionEvent(at_ms=0, type="shown"),
                DecisionEvent(at_ms=400, type="reveal_start", mode="hold"),
                DecisionEvent(at_ms=1600, type="reveal_end", duration_ms=1200, mode="hold"),
                DecisionEvent(at_ms=3000, type="decided",
                              action=lease.taxonomy.actions[n % 2].id)])
            for n, item in enumerate(lease.items)]
        assert {r.status for r in api.send_decisions(decisions).results} == {"accepted"}
        return decisions
    finally:
        api.close()


@pytest.fixture
def quality(qtbot: Any, seeded_server: Any, workstation: Any, workers: Any) -> Iterator[Any]:
    """The quality window of `qa`, its finder filled with demo's decisions."""
    from ui.qa.window import QualityWindow

    _reviewed(seeded_server)
    workstation.login(seeded_server.url, "qa", PASSWORDS["qa"])
    service = workstation.start_quality()
    window = QualityWindow(service, workers, "Quality review")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.find(DecisionQuery(reviewer="demo", queue=TEXT_QUEUE))
    qtbot.waitUntil(lambda: len(window.finder.decisions) == 3, timeout=15000)
    yield window
    window.close()


def test_a_qa_lead_lands_in_the_quality_workspace(qtbot: Any, seeded_server: Any,
                                                  workstation: Any, workers: Any) -> None:
    from ui.app import AppFlow

    workstation.login(seeded_server.url, "qa", PASSWORDS["qa"])
    flow = AppFlow(workstation, workers)
    flow.open_workspace()
    qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(),
                    timeout=15000)
    try:
        assert flow.workspace_id == "quality"
        assert "Quality review" in flow.window.windowTitle()
        assert "This needs the role" not in flow.window.status.text()
    finally:
        flow._switching = True  # closing here is not a request to quit the test's app
        flow.workspace.close()


def test_a_replay_shows_the_events_in_order_and_gates_the_qa_leads_reveals(
        qtbot: Any, quality: Any, workstation: Any, seeded_server: Any) -> None:
    window = quality
    set_wellness_policy(seeded_server, reviewer="qa", max_reveals_per_item=1)
    window.service.gate.policy = window.service.gate.policy.model_copy(
        update={"max_reveals_per_item": 1})  # as the next policy fetch would say
    # a text item: revealable at once (an image waits for its preparation)
    decision = next(d for d in window.finder.decisions if d.item and d.item.kind == "text")
    window.open_replay(decision)
    steps = [window.replay.timeline.steps.item(n).text()
             for n in range(window.replay.timeline.steps.count())]
    assert [s.strip().split("  ", 1)[1] for s in steps] == [
        "Shown", "Revealed (hold) for 1.2 s", f"Decided {decision.action}"]
    window.replay.view.setFocus()
    qtbot.keyClick(window.replay.view, Qt.Key.Key_Right)
    assert window.replay.timeline.steps.currentRow() == 1
    assert window.replay.timeline.mark.text() == "The reviewer was revealing here"

    assert not window.replay.view.revealed
    qtbot.keyPress(window.replay.view, Qt.Key.Key_Space)
    assert window.replay.view.revealed  # within the QA lead's caps
    qtbot.wait(50)
    qtbot.keyRelease(window.replay.view, Qt.Key.Key_Space)
    assert not window.replay.view.revealed
    logged = workstation.store.ledger_unsynced(username="qa")
    assert [(e.item_id, e.duration_ms > 0) for e in logged] == [(decision.item_id, True)]
    qtbot.keyPress(window.replay.view, Qt.Key.Key_Space)
    assert not window.replay.view.revealed  # one reveal per item for this QA lead
    assert "maximum of 1" in window.replay.said.text()
    qtbot.keyRelease(window.replay.view, Qt.Key.Key_Space)
    assert len(workstation.store.ledger_unsynced(username="qa")) == 1


def test_a_blind_verdict_reaches_the_server_once(qtbot: Any, quality: Any,
                                                 seeded_server: Any) -> None:
    window = quality
    decision = window.finder.decisions[0]
    window.open_replay(decision)
    panel = window.replay.verdict
    assert panel.stage == "blind" and panel.theirs.text() == "hidden until you decide"
    taxonomy = window.service.taxonomy(decision.queue)
    other = next(a for a in taxonomy.actions if a.key and a.id != decision.action)
    window.replay.view.setFocus()
    label = next(e for e in taxonomy.labels if e.key)
    qtbot.keyClick(window.replay.view, label.key)  # a label key toggles a label...
    assert panel.stage == "blind" and panel.labels == [label.id]  # ...the call is still due
    qtbot.keyClick(window.replay.view, other.key)  # the blind call: not the reviewer's
    assert panel.stage == "compare" and decision.action in panel.theirs.text()
    assert panel.judgement.text() == "Disagree"
    qtbot.keyClick(window.replay.view, Qt.Key.Key_Return)
    api = _api(seeded_server, "qa")
    try:
        qtbot.waitUntil(lambda: api.qa_report(reviewer="demo").verdicts == 1, timeout=15000)
        qtbot.waitUntil(lambda: window.service.pending_verdicts() == 0, timeout=15000)
        again = window.service.sync_verdicts()
        assert again.sent == 0
        report = api.qa_report(reviewer="demo")
        assert report.verdicts == 1 and report.agreement == 0.0
        assert report.confusion == {decision.action: {other.id: 1}}
    finally:
        api.close()


def test_the_csv_export_round_trips(qtbot: Any, quality: Any, tmp_path: Path) -> None:
    window = quality
    path = tmp_path / "decisions.csv"
    window.export_decisions(path).result(timeout=10)
    rows = read_csv(path)
    assert [r["decision_id"] for r in rows] == [str(d.decision_id)
                                                for d in window.finder.decisions]
    assert [r["action"] for r in rows] == [d.action for d in window.finder.decisions]
    assert {r["reveals"] for r in rows} == {"1"}
    window.refresh_report()
    qtbot.waitUntil(lambda: window.report.report is not None, timeout=15000)
    # no verdicts yet: the table says "–" and why, never 0 %
    table = window.report.reviewers
    names = [table.item(n, 0).text() for n in range(table.rowCount())]
    demo_row = names.index("demo")
    assert table.item(demo_row, 3).text() == "–"
    assert table.item(demo_row, 3).toolTip() == "no QA verdicts on these decisions"
    assert "no QA verdicts" in window.report.summary.text()
    report_path = tmp_path / "report.csv"
    window.export_report(report_path).result(timeout=10)
    report_rows = read_csv(report_path)
    assert report_rows[0]["scope"] == "all"
    assert int(report_rows[0]["decisions"]) == window.report.report.overall.decisions
    assert report_rows[0]["agreement_reason"] == window.report.report.overall.agreement_reason


def test_ctrl_g_marks_the_replayed_item_gold_with_the_qa_leads_call(
        qtbot: Any, quality: Any, seeded_server: Any) -> None:
    window = quality
    decision = window.finder.decisions[0]
    window.open_replay(decision)
    qtbot.keyClick(window.replay.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert "Make your call first" in window.status.text()
    call = next(a for a in window.service.taxonomy(decision.queue).actions if a.key == "1")
    qtbot.keyClick(window.replay.view, "1")
    qtbot.keyClick(window.replay.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "is gold" in window.status.text(), timeout=15000)
    with httpx.Client(base_url=seeded_server.url + "/api/v1", timeout=10) as client:
        token = client.post("/auth/token", json={"username": "qa",
                                                 "password": PASSWORDS["qa"]}).json()
        gold = client.get("/qa/gold", headers={
            "Authorization": f"Bearer {token['access_token']}"}).json()["data"]
    assert [(g["item_id"], g["action"]) for g in gold] == [(decision.item_id, call.id)]


def test_a_broken_item_cannot_display_and_its_timeline_still_plays(
        qtbot: Any, seeded_server: Any, workstation: Any, workers: Any) -> None:
    from ui.qa.window import QualityWindow

    _reviewed(seeded_server, 1, queue=BROKEN_QUEUE, broken_only=True)
    workstation.login(seeded_server.url, "qa", PASSWORDS["qa"])
    window = QualityWindow(workstation.start_quality(background_sync=False), workers, "t")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.find(DecisionQuery(reviewer="demo", queue=BROKEN_QUEUE))
        qtbot.waitUntil(lambda: len(window.finder.decisions) == 1, timeout=15000)
        window.open_replay(window.finder.decisions[0])
        qtbot.waitUntil(lambda: window.replay.view.kind == "broken", timeout=15000)
        qtbot.keyClick(window.replay.view, Qt.Key.Key_F)  # 2x
        qtbot.keyClick(window.replay.view, Qt.Key.Key_P)
        qtbot.waitUntil(lambda: not window.replay.timeline.playing, timeout=15000)
        assert window.replay.timeline.timeline.current.kind == "decided"
        assert window.replay.view.kind == "broken"
    finally:
        window.close()


def test_the_finder_pages_with_m_and_opens_a_replay_with_enter(qtbot: Any, quality: Any
                                                               ) -> None:
    window = quality
    window.finder.reviewer.setText("demo")
    window.finder.queue.setText(TEXT_QUEUE)
    window.find(DecisionQuery(reviewer="demo", queue=TEXT_QUEUE, limit=2))
    qtbot.waitUntil(lambda: len(window.finder.decisions) == 2, timeout=15000)
    assert window.finder.more_button.isEnabled()
    window.finder.table.setFocus()
    qtbot.keyClick(window.finder.table, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: len(window.finder.decisions) == 3, timeout=15000)
    assert not window.finder.more_button.isEnabled()
    assert len({d.decision_id for d in window.finder.decisions}) == 3
    window.finder.table.setFocus()
    window.finder.table.selectRow(2)
    qtbot.keyClick(window.finder.table, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == 1
    assert window.replay.decision is window.finder.decisions[2]
