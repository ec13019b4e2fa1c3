"""CSV export of the decision list and the report round-trips, and formulas stay text."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from reviewer.protocol import QADecision, QAReport, QAReportRow
from reviewer.qa_export import read_csv, write_decisions_csv, write_report_csv


def test_decisions_round_trip_and_a_formula_stays_text(tmp_path: Path) -> None:
    now = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    notes = ["=HYPERLINK(\"x\")", "'quoted", "日本語, \"ok\"", None]
    decisions = [QADecision(decision_id=uuid.uuid4(), item_id=f"q-{n}", queue="q",
                            reviewer="alice", lease_id="L-1", action="remove",
                            labels=["spam", "scam"], note=note, status="accepted",
                            started_at=now, decided_at=now, received_at=now, handle_ms=1200,
                            reveals=n) for n, note in enumerate(notes)]
    path = tmp_path / "decisions.csv"
    assert write_decisions_csv(path, decisions) == 4
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")  # never a bare formula
    rows = read_csv(path)
    assert [r["note"] for r in rows] == ["=HYPERLINK(\"x\")", "'quoted", "日本語, \"ok\"", ""]
    assert [r["decision_id"] for r in rows] == [str(d.decision_id) for d in decisions]
    assert rows[0]["labels"] == "spam;scam" and rows[0]["reviewer"] == "alice"
    assert [int(r["reveals"]) for r in rows] == [0, 1, 2, 3]


def test_the_report_round_trips_with_its_reasons(tmp_path: Path) -> None:
    report = QAReport(verdicts=0, overall=QAReportRow(decisions=3, agreement_reason="none"),
                      reviewers=[QAReportRow(reviewer="bob", decisions=3, cohen_kappa=-0.25,
                                             escalation_rate=1 / 3)],
                      queues=[QAReportRow(queue="q", decisions=3)])
    path = tmp_path / "report.csv"
    assert write_report_csv(path, report) == 3
    rows = read_csv(path)
    assert [(r["scope"], r["name"]) for r in rows] == [("all", ""), ("reviewer", "bob"),
                                                       ("queue", "q")]
    assert rows[0]["agreement"] == "" and rows[0]["agreement_reason"] == "none"
    assert rows[1]["cohen_kappa"] == "-0.25"  # a number stays a number, minus and all
    assert float(rows[1]["escalation_rate"]) == 1 / 3
