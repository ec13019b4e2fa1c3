"""The exposure report: range and team, tables per reviewer, team and category, a trend
over days and the distribution across reviewers (pyqtgraph), CSV export.

Keys: F5 refresh, Ctrl+E export CSV; Alt+letters reach the controls.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reviewer.coordinator import CoordinatorService
from reviewer.coordinator_csv import (
    CATEGORY_COLUMNS,
    DAY_COLUMNS,
    REVIEWER_COLUMNS,
    TEAM_COLUMNS,
    summary_tables,
)
from reviewer.protocol import WellnessSummary
from ui.coordinator.background import Background

RANGES = (("Last 7 days", 7), ("Last 30 days", 30), ("Today", 1))
BINS = 12
TREND_TEAMS = 8
"""Teams drawn as their own line in the trend (the all-reviewers line is always drawn)."""


def _fill(table: QTableWidget, columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    table.setSortingEnabled(False)
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, column in enumerate(columns):
            value = row[column]
            if isinstance(value, float):
                text = f"{value:.2f}".rstrip("0").rstrip(".")
            elif isinstance(value, list):
                text = ", ".join(str(v) for v in value)
            else:
                text = "" if value is None else str(value)
            item = QTableWidgetItem(text)
            if isinstance(value, int | float) and not isinstance(value, bool):
                item.setData(Qt.ItemDataRole.EditRole, value)
            table.setItem(r, c, item)
    table.setSortingEnabled(True)


def _table(parent: QWidget, name: str) -> QTableWidget:
    table = QTableWidget(0, 0, parent)
    table.setAccessibleName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table


class ReportView(QWidget):
    """Enter on a reviewer's row asks for their effective policy (`reviewer_chosen`)."""

    reviewer_chosen = Signal(str)

    def __init__(self, service: CoordinatorService, background: Background,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._bg = service, background
        self.summary: WellnessSummary | None = None
        self.range = QComboBox(self)
        for title, days in RANGES:
            self.range.addItem(title, days)
        self.team = QLineEdit(self)
        self.team.setPlaceholderText("all teams")
        self.status = QLabel(self)
        self.reviewers = _table(self, "reviewers")
        self.teams = _table(self, "teams")
        self.categories = _table(self, "categories")
        self.days = _table(self, "days")
        self.trend = pg.PlotWidget(self, title="Unprotected seconds per day")
        self.spread = pg.PlotWidget(self, title="Reviewers by unprotected seconds")
        self._build()
        self.reviewers.itemActivated.connect(
            lambda item: self.reviewer_chosen.emit(self.reviewers.item(item.row(), 0).text()))
        self.team.returnPressed.connect(self.refresh)
        self.range.activated.connect(lambda _index: self.refresh())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("R&ange", self, buddy=self.range))
        top.addWidget(self.range)
        top.addWidget(QLabel("&Team", self, buddy=self.team))
        top.addWidget(self.team, 1)
        for text, slot in (("Re&fresh", self.refresh), ("E&xport CSV…", self.export)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            top.addWidget(button)
        tables = QTabWidget(self)
        tables.addTab(self.reviewers, "Re&viewers")
        tables.addTab(self.teams, "Tea&ms")
        tables.addTab(self.categories, "&Categories")
        tables.addTab(self.days, "&Days")
        charts = QSplitter(Qt.Orientation.Horizontal, self)
        charts.addWidget(self.trend)
        charts.addWidget(self.spread)
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.addWidget(charts)
        body.addWidget(tables)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(body, 1)

    def refresh(self) -> None:
        days = int(self.range.currentData())
        team = self.team.text().strip() or None
        self.status.setText("Loading the report…")
        self._bg.run(lambda: self._service.summary(days=days, team=team), self.show_summary,
                     lambda message, _e: self.status.setText(message))

    def show_summary(self, summary: WellnessSummary) -> None:
        self.summary = summary
        _fill(self.reviewers, REVIEWER_COLUMNS, [r.model_dump() for r in summary.reviewers])
        _fill(self.teams, TEAM_COLUMNS, [t.model_dump() for t in summary.teams])
        _fill(self.categories, CATEGORY_COLUMNS, [c.model_dump() for c in summary.categories])
        _fill(self.days, DAY_COLUMNS, [d.model_dump() for d in summary.days])
        self._draw(summary)
        over = sum(r.cap_status == "over" for r in summary.reviewers)
        near = sum(r.cap_status == "near" for r in summary.reviewers)
        self.status.setText(
            f"{summary.since} to {summary.until} ({summary.time_zone}), "
            f"{len(summary.reviewers)} reviewers: p50 {summary.exposure_s_p50:.0f} s, "
            f"p90 {summary.exposure_s_p90:.0f} s unprotected; {over} over a cap, "
            f"{near} near one.")

    def _draw(self, summary: WellnessSummary) -> None:
        days = [d for d in summary.days if d.team is None]
        self.trend.clear()
        self.trend.addLegend()
        self.trend.plot(list(range(len(days))), [d.exposure_s for d in days], symbol="o",
                        name="all reviewers", pen=pg.mkPen(width=2))
        teams = sorted({d.team for d in summary.days if d.team is not None})[:TREND_TEAMS]
        for n, team in enumerate(teams):
            line = [d.exposure_s for d in summary.days if d.team == team]
            self.trend.plot(list(range(len(line))), line, name=team,
                            pen=pg.mkPen(pg.intColor(n, hues=max(len(teams), 1))))
        step = max(1, len(days) // 7)
        self.trend.getAxis("bottom").setTicks(
            [[(n, d.day.strftime("%d %b")) for n, d in enumerate(days)][::step]])
        self.spread.clear()
        seconds = [r.exposure_s for r in summary.reviewers]
        if not seconds:
            return
        top = max(seconds) or 1.0
        width = top / BINS
        counts = [0] * BINS
        for value in seconds:
            counts[min(BINS - 1, int(value / width))] += 1
        self.spread.addItem(pg.BarGraphItem(x=[width * (n + 0.5) for n in range(BINS)],
                                            height=counts, width=width * 0.9))
        for value, label in ((summary.exposure_s_p50, "p50"), (summary.exposure_s_p90, "p90")):
            self.spread.addItem(pg.InfiniteLine(value, angle=90, label=label))

    def export(self) -> None:
        if self.summary is None:
            self.status.setText("Load a report first (F5).")
            return
        folder = QFileDialog.getExistingDirectory(self, "Export the report as CSV")
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write one CSV per table into `folder`, on a worker."""
        summary = self.summary
        if summary is None:
            return

        def write() -> list[Path]:
            written = []
            for name, text in summary_tables(summary).items():
                path = folder / f"wellness-{summary.since}-{summary.until}-{name}.csv"
                path.write_text(text, encoding="utf-8")
                written.append(path)
            return written

        self._bg.run(write, lambda paths: self.status.setText(
            f"Exported {len(paths)} CSV files to {folder}."),
                     lambda message, _e: self.status.setText(message))
