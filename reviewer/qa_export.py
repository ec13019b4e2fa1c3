"""CSV export of the QA lead's decision list and report, and reading them back.

Cells a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
are written with a leading apostrophe, and the apostrophe is taken off on reading, so a
reviewer's note can never execute in the QA lead's spreadsheet and the file still round
trips. UTF-8 with a BOM so spreadsheet programs read non-Latin text correctly. No Qt;
file work, so never on the GUI thread.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from reviewer.protocol import QADecision, QAReport, QAReportRow

DECISION_COLUMNS = ("decided_at", "reviewer", "queue", "item_id", "action", "labels",
                    "handle_ms", "reveals", "status", "superseded_by", "gold_action",
                    "note", "decision_id")
REPORT_FIGURES = ("decisions", "verdicts", "agreement", "agreement_reason", "cohen_kappa",
                  "cohen_kappa_reason", "gold_decisions", "gold_accuracy", "gold_reason",
                  "overlap_pairs", "overlap_agreement", "overlap_kappa",
                  "overlap_kappa_method", "overlap_reason", "handle_time_ms_p50",
                  "handle_time_ms_p90", "escalation_rate", "reveal_rate")
REPORT_COLUMNS = ("scope", "name", *REPORT_FIGURES)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """Numbers as numbers (a negative kappa stays a number); text that starts like a
    formula (or with the apostrophe itself) behind an apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float):
        return text
    return "'" + text if text.startswith(_FORMULA_START) or text.startswith("'") else text


def _uncell(text: str | None) -> str:
    text = text or ""
    return text[1:] if text.startswith("'") else text


def decision_row(decision: QADecision) -> dict[str, str]:
    values = {
        "decided_at": decision.decided_at.isoformat(), "reviewer": decision.reviewer,
        "queue": decision.queue, "item_id": decision.item_id, "action": decision.action,
        "labels": ";".join(decision.labels), "handle_ms": decision.handle_ms,
        "reveals": decision.reveals, "status": decision.status,
        "superseded_by": decision.superseded_by, "gold_action": decision.gold_action,
        "note": decision.note, "decision_id": decision.decision_id,
    }
    return {column: _cell(values[column]) for column in DECISION_COLUMNS}


def report_rows(report: QAReport) -> list[dict[str, str]]:
    """Overall first, then each reviewer, then each queue."""
    scoped: list[tuple[str, str, QAReportRow]] = []
    if report.overall is not None:
        scoped.append(("all", "", report.overall))
    scoped += [("reviewer", row.reviewer or "", row) for row in report.reviewers]
    scoped += [("queue", row.queue or "", row) for row in report.queues]
    rows = []
    for scope, name, row in scoped:
        figures = row.model_dump(include=set(REPORT_FIGURES))
        rows.append({"scope": scope, "name": _cell(name),
                     **{key: _cell(figures[key]) for key in REPORT_FIGURES}})
    return rows


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_decisions_csv(path: Path, decisions: Iterable[QADecision]) -> int:
    """Write the list; returns how many rows were written."""
    return _write(path, DECISION_COLUMNS, (decision_row(d) for d in decisions))


def write_report_csv(path: Path, report: QAReport) -> int:
    return _write(path, REPORT_COLUMNS, report_rows(report))


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a file written here, cells as the exported text (apostrophes off)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{key: _uncell(value) for key, value in row.items()}
                for row in csv.DictReader(handle)]
