"""Where things sit in the review window; builds widgets, wires nothing.

The central area is a stack of two pages: the review page (item, context and history,
the shortcut legend under them) and the pause screen (a break or today's cap), which
replaces the whole review page so nothing of the item is on screen behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.legend import Legend
from ui.protected.item_view import ItemView
from ui.review.context_panel import ContextPanel
from ui.review.history_panel import HistoryPanel
from ui.review.pause_screen import PauseScreen
from ui.shortcuts import CommandTable
from ui.status_bar import ReviewStatusBar

SIDE_PANEL_WIDTH = 360


@dataclass(frozen=True)
class ReviewLayout:
    view: ItemView
    context: ContextPanel
    history: HistoryPanel
    legend: Legend
    status: ReviewStatusBar
    pages: QStackedWidget
    review_page: QWidget
    pause: PauseScreen


def build_review_layout(window: QMainWindow, table: CommandTable) -> ReviewLayout:
    """Create the review window's widgets and put them in place."""
    view, context, history = ItemView(), ContextPanel(table.labels()), HistoryPanel()
    legend = Legend(table)
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(context)
    right.addWidget(history)
    right.setSizes([380, 280])
    right.setFixedWidth(SIDE_PANEL_WIDTH)  # long report texts wrap; the item never jumps
    body = QWidget()
    row = QHBoxLayout(body)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(view, 1)
    row.addWidget(right)
    review_page = QWidget()
    column = QVBoxLayout(review_page)
    column.setContentsMargins(6, 6, 6, 0)
    column.addWidget(body, 1)
    column.addWidget(legend)
    pause = PauseScreen()
    pages = QStackedWidget()
    pages.addWidget(review_page)
    pages.addWidget(pause)
    window.setCentralWidget(pages)
    status = ReviewStatusBar()
    window.setStatusBar(status)
    window.resize(1360, 860)
    return ReviewLayout(view=view, context=context, history=history, legend=legend,
                        status=status, pages=pages, review_page=review_page, pause=pause)
