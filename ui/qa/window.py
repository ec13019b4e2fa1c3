"""The "Quality review" window: Find (Ctrl+1), Replay (Ctrl+2), Report (Ctrl+3).

Every search, report, media download, verdict sync and CSV file runs on a worker; the
GUI thread only paints, routes keys and commits a verdict to the local outbox (one small
commit). Keys on the replay: Space held / R reveal (the QA lead's own gate), arrows step
the timeline, P plays, F speeds up, 1-9 the blind call, A/D/N/Enter the verdict.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QMainWindow, QTabWidget

from reviewer.qa import DecisionQuery
from reviewer.qa_export import write_decisions_csv, write_report_csv
from ui.errors import explain
from ui.qa.finder import DecisionFinder
from ui.qa.replay_view import ReplayView
from ui.qa.report_view import ReportView
from ui.workers import Op

if TYPE_CHECKING:
    from concurrent.futures import Future

    from reviewer.qa import DecisionPage, QAService
    from ui.workers import Workers

FIND, REPLAY, REPORT = range(3)


class QualityWindow(QMainWindow):
    closed = Signal()

    def __init__(self, service: QAService, workers: Workers, title: str) -> None:
        super().__init__()
        self.setObjectName("qualityWindow")
        self.setWindowTitle(title)
        self.service, self.workers = service, workers
        self._query = DecisionQuery()
        self._cursor: str | None = None
        self.finder = DecisionFinder()
        self.replay = ReplayView(service, workers)
        self.report = ReportView()
        self.tabs = QTabWidget()
        for widget, name in ((self.finder, "&Find"), (self.replay, "&Replay"),
                             (self.report, "Re&port")):
            self.tabs.addTab(widget, name)
        self.setCentralWidget(self.tabs)
        self.status = QLabel("")
        self.status.setObjectName("qaStatus")
        self.statusBar().addWidget(self.status, 1)
        self.finder.search.connect(self.find)
        self.finder.more.connect(self.find_more)
        self.finder.opened.connect(self.open_replay)
        self.finder.selected_many.connect(self.replay.prefetch)
        self.replay.verdict.verdict_ready.connect(self.judge)
        self.replay.verdict.problem.connect(self.say)
        self.report.refresh.connect(self.refresh_report)
        self.report.export.connect(self.choose_report_file)
        self._actions()
        self.resize(1280, 820)

    def _actions(self) -> None:
        menu = self.menuBar().addMenu("&Quality")
        for text, key, slot in (("Find decisions", "Ctrl+1", lambda: self.show_tab(FIND)),
                                ("Replay", "Ctrl+2", lambda: self.show_tab(REPLAY)),
                                ("Report", "Ctrl+3", lambda: self.show_tab(REPORT)),
                                ("Export CSV…", "Ctrl+E", self.choose_export_file),
                                ("Mark the item as gold with your call", "Ctrl+G",
                                 self.mark_gold),
                                ("Refresh report", "Ctrl+R", self.refresh_report)):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setAutoRepeat(False)
            action.triggered.connect(lambda _c=False, s=slot: s())
            self.addAction(action)
            menu.addAction(action)

    def say(self, text: str) -> None:
        self.status.setText(text)

    def show_tab(self, index: int) -> None:
        self.replay.reveal.end("tab change")
        self.tabs.setCurrentIndex(index)
        if index == FIND:
            self.finder.table.setFocus()
        elif index == REPLAY:
            self.replay.view.setFocus()

    # --- find -----------------------------------------------------------------------------

    def find(self, query: DecisionQuery) -> None:
        self._query, self._cursor = query, None
        self._fetch(append=False)

    def find_more(self) -> None:
        if self._cursor:
            self._fetch(append=True)

    def _fetch(self, *, append: bool) -> None:
        query, cursor = self._query, self._cursor if append else None
        Op(lambda: self.service.find(query, cursor)).success(
            lambda page: self._found(page, append)).failure(
            lambda error: self.finder.show_error(explain(error))).run_on(
            self.workers.network, self.workers)

    def _found(self, page: DecisionPage, append: bool) -> None:
        self._cursor = page.next_cursor
        self.finder.show_page(page.decisions, more=page.next_cursor is not None,
                              append=append, offline=page.offline)
        self.say("Offline: working on what was fetched; verdicts wait in the outbox."
                 if page.offline else "")

    def open_replay(self, decision: Any) -> None:
        self.replay.open(decision)
        self.show_tab(REPLAY)

    # --- verdicts -------------------------------------------------------------------------

    def judge(self, verdict: Any) -> None:
        """Commit the verdict locally (it survives anything), then sync in the background."""
        try:
            self.service.judge(verdict)
        except Exception as error:  # a full disk, say: said in words, the verdict stays on screen
            self.say(explain(error))
            return
        self.say(f"Verdict saved: {verdict.action}.")
        self.sync_verdicts()

    def sync_verdicts(self) -> None:
        Op(self.service.sync_verdicts).success(self._synced).failure(
            lambda error: self.say(f"Verdicts wait in the outbox: {explain(error)}")).run_on(
            self.workers.network, self.workers)

    def _synced(self, report: Any) -> None:
        if report.sent:
            self.say(f"Verdicts sent: {report.sent}"
                     + (f", refused: {len(report.rejected)}" if report.rejected else ""))

    def mark_gold(self) -> Future[Any] | None:
        """The replayed item becomes gold, expecting the QA lead's call on it."""
        call = self.replay.verdict.call()
        if call is None:
            self.say("Make your call first (1-9); Ctrl+G then marks the item gold with it.")
            return None
        item_id, action = call
        return Op(lambda: self.service.mark_gold(item_id, action)).success(
            lambda gold: self.say(f"{gold.item_id} is gold: it expects {gold.action}.")).failure(
            lambda error: self.say(explain(error))).run_on(self.workers.network, self.workers)

    # --- report and export ----------------------------------------------------------------

    def refresh_report(self) -> None:
        since = datetime.combine(self.finder.since.date().toPython(), time.min, tzinfo=UTC)
        until = datetime.combine(self.finder.until.date().toPython(), time.min,
                                 tzinfo=UTC) + timedelta(days=1)
        Op(lambda: self.service.report(since=since, until=until)).success(
            lambda result: self.report.show_report(result[0], offline=result[1])).failure(
            lambda error: self.report.state.setText(explain(error))).run_on(
            self.workers.network, self.workers)

    def choose_export_file(self) -> None:
        if self.tabs.currentIndex() == REPORT:
            self.choose_report_file()
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export the decision list",
                                              "decisions.csv", "CSV (*.csv)")
        if path:
            self.export_decisions(Path(path))

    def choose_report_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the report", "qa-report.csv",
                                              "CSV (*.csv)")
        if path:
            self.export_report(Path(path))

    def export_decisions(self, path: Path) -> Future[Any] | None:
        decisions = list(self.finder.decisions)
        return Op(lambda: write_decisions_csv(path, decisions)).success(
            lambda n: self.say(f"Exported {n} decisions to {path}.")).failure(
            lambda error: self.say(f"Could not export: {explain(error)}")).run_on(
            self.workers.store, self.workers)

    def export_report(self, path: Path) -> Future[Any] | None:
        report = self.report.report
        if report is None:
            self.say("There is no report to export yet (Ctrl+R).")
            return None
        return Op(lambda: write_report_csv(path, report)).success(
            lambda n: self.say(f"Exported {n} report rows to {path}.")).failure(
            lambda error: self.say(f"Could not export: {explain(error)}")).run_on(
            self.workers.store, self.workers)

    # --- keys: the replay screen ------------------------------------------------------------

    def _replay_keys(self) -> bool:
        return (self.tabs.currentIndex() == REPLAY
                and not isinstance(self.focusWidget(), QLineEdit))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._replay_keys():
            if event.key() == Qt.Key.Key_Space:
                if not event.isAutoRepeat():
                    self.replay.reveal.start("hold")
                return
            if self.replay.handle_key(event.key(), event.isAutoRepeat()):
                return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if (event.key() == Qt.Key.Key_Space and not event.isAutoRepeat()
                and self.replay.reveal.mode == "hold"):
            self.replay.reveal.end("release")
            return
        super().keyReleaseEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.replay.reveal.end("focus lost")
        super().changeEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.replay.close_view()
        super().closeEvent(event)
        self.closed.emit()
