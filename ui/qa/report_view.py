"""The QA report: tables per reviewer and per queue, a bar per reviewer (agreement with
QA and accuracy on gold) and a heat map of the confusion matrix (reviewer action x QA
action). Undefined figures show "–" with the reason as a tooltip, never 0 %. Charts are
pyqtgraph items; the numbers were computed by the server.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.protocol import QAReport, QAReportRow

DASH = "–"
COLUMNS = (("decisions", "Decisions", None), ("verdicts", "Verdicts", None),
           ("agreement", "Agreement", "agreement_reason"),
           ("cohen_kappa", "Cohen's κ", "cohen_kappa_reason"),
           ("gold_accuracy", "Gold accuracy", "gold_reason"),
           ("overlap_kappa", "Overlap κ", "overlap_reason"),
           ("handle_time_ms_p50", "Handle p50", None), ("handle_time_ms_p90", "Handle p90", None),
           ("escalation_rate", "Escalated", None), ("reveal_rate", "Revealed", None))
PERCENT = {"agreement", "gold_accuracy", "escalation_rate", "reveal_rate"}


def figure_text(row: QAReportRow, key: str) -> str:
    value = getattr(row, key)
    if value is None:
        return DASH
    if key in PERCENT:
        return f"{value:.0%}"
    if key.startswith("handle_time"):
        return f"{value / 1000:.1f} s"
    if isinstance(value, float):
        method = f" ({row.overlap_kappa_method})" if key == "overlap_kappa" else ""
        return f"{value:.3f}{method}"
    return str(value)


class ReportTable(QTableWidget):
    """One row per reviewer or queue, plus the overall row first."""

    def __init__(self, name: str) -> None:
        super().__init__(0, len(COLUMNS) + 1)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(["", *(title for _, title, _ in COLUMNS)])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def show_rows(self, rows: list[tuple[str, QAReportRow]]) -> None:
        self.setRowCount(0)
        for name, row in rows:
            n = self.rowCount()
            self.insertRow(n)
            self.setItem(n, 0, QTableWidgetItem(name))
            for column, (key, _title, reason_key) in enumerate(COLUMNS, start=1):
                cell = QTableWidgetItem(figure_text(row, key))
                reason = getattr(row, reason_key) if reason_key else None
                if getattr(row, key) is None and reason:
                    cell.setToolTip(reason)
                self.setItem(n, column, cell)


def confusion_matrix(report: QAReport) -> tuple[list[str], list[str], np.ndarray]:
    """(reviewer actions, QA actions, counts[reviewer][qa]) of the overall confusion."""
    mine = sorted(report.confusion)
    theirs = sorted({qa for row in report.confusion.values() for qa in row})
    counts = np.zeros((len(mine), len(theirs)))
    for i, action in enumerate(mine):
        for j, qa in enumerate(theirs):
            counts[i, j] = report.confusion[action].get(qa, 0)
    return mine, theirs, counts


class ReportView(QWidget):
    """`refresh()` asks for the report again; `export()` for a CSV of it."""

    refresh = Signal()
    export = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: QAReport | None = None
        self.state = QLabel("")
        self.state.setObjectName("reportState")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.reviewers = ReportTable("reportReviewers")
        self.queues = ReportTable("reportQueues")
        self.bars = pg.PlotWidget(title="Agreement with QA and gold accuracy per reviewer")
        self.bars.setYRange(0, 1)
        self.heat = pg.PlotWidget(title="Confusion: reviewer action (rows) × QA action")
        self.heat_image = pg.ImageItem()
        self.heat.addItem(self.heat_image)
        refresh, export = QPushButton("Refresh (R)"), QPushButton("Export CSV (Ctrl+E)")
        refresh.clicked.connect(self.refresh.emit)
        export.clicked.connect(self.export.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(refresh)
        buttons.addWidget(export)
        buttons.addWidget(self.state, 1)
        charts = QHBoxLayout()
        charts.addWidget(self.bars, 1)
        charts.addWidget(self.heat, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.reviewers, 2)
        layout.addWidget(self.queues, 1)
        layout.addLayout(charts, 2)

    def show_report(self, report: QAReport | None, *, offline: bool = False) -> None:
        self.report = report
        self.state.setText("Offline: the last report fetched." if offline else "")
        if report is None or report.overall is None:
            self.summary.setText("No report yet." + (" The server cannot be reached."
                                                     if offline else ""))
            return
        overall = report.overall
        agreement = figure_text(overall, "agreement")
        if overall.agreement is None:
            agreement += f" ({overall.agreement_reason})"
        kappa = figure_text(overall, "cohen_kappa")
        if overall.cohen_kappa is None:
            kappa += f" ({overall.cohen_kappa_reason})"
        self.summary.setText(f"{overall.decisions} decisions, {overall.verdicts} verdicts; "
                             f"agreement {agreement}; Cohen's κ {kappa}")
        self.reviewers.show_rows([("all", overall)] +
                                 [(r.reviewer or "", r) for r in report.reviewers])
        self.queues.show_rows([(r.queue or "", r) for r in report.queues])
        self._draw_bars(report)
        self._draw_heat(report)

    def _draw_bars(self, report: QAReport) -> None:
        self.bars.clear()
        rows = report.reviewers
        xs = np.arange(len(rows), dtype=float)
        agreement = [r.agreement or 0.0 for r in rows]
        gold = [r.gold_accuracy or 0.0 for r in rows]
        self.bars.addItem(pg.BarGraphItem(x=xs - 0.2, height=agreement, width=0.4,
                                          brush="#5fa36a", name="agreement"))
        self.bars.addItem(pg.BarGraphItem(x=xs + 0.2, height=gold, width=0.4,
                                          brush="#c9a227", name="gold"))
        self.bars.getAxis("bottom").setTicks([[(i, r.reviewer or "") for i, r
                                               in enumerate(rows)]])

    def _draw_heat(self, report: QAReport) -> None:
        mine, theirs, counts = confusion_matrix(report)
        for item in list(self.heat.items()):
            if isinstance(item, pg.TextItem):
                self.heat.removeItem(item)
        if counts.size == 0:
            self.heat_image.clear()
            return
        # ImageItem indexes [x, y]: QA action along x, reviewer action along y
        self.heat_image.setImage(counts.T, levels=(0, max(1.0, float(counts.max()))))
        self.heat_image.setColorMap(pg.colormap.get("viridis"))
        for i in range(len(mine)):
            for j in range(len(theirs)):
                label = pg.TextItem(str(int(counts[i, j])), anchor=(0.5, 0.5))
                label.setPos(j + 0.5, i + 0.5)
                self.heat.addItem(label)
        self.heat.getAxis("bottom").setTicks([[(j + 0.5, a) for j, a in enumerate(theirs)]])
        self.heat.getAxis("left").setTicks([[(i + 0.5, a) for i, a in enumerate(mine)]])
