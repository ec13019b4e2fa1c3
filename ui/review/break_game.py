"""A short shape-matching game for the break screen: something to rest the eyes on.

Keyboard only: Left/Right choose among four shapes, Enter or Space picks the one that
matches the target (same shape and colour, whatever its rotation). Pure drawing with
QPainter: it never shows an image, an item or any item text. Deterministic for a given
`random.Random`, so tests know the answer.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

SHAPES = ("circle", "square", "triangle", "star", "diamond")
COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1")
CANDIDATES = 4
SHOW_ANSWER_MS = 900
KEYS_LEFT = (Qt.Key.Key_Left,)
KEYS_RIGHT = (Qt.Key.Key_Right,)
KEYS_CONFIRM = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


@dataclass(frozen=True)
class Shape:
    kind: str
    colour: str
    rotation: float  # degrees

    def matches(self, other: Shape) -> bool:
        return (self.kind, self.colour) == (other.kind, other.colour)


def deal(rng: random.Random) -> tuple[Shape, list[Shape], int]:
    """A target, four candidates and the index of the one that matches it."""
    def shape(kind: str, colour: str) -> Shape:
        return Shape(kind, colour, rng.choice((0.0, 45.0, 90.0, 135.0, 180.0, 270.0)))

    target = shape(rng.choice(SHAPES), rng.choice(COLOURS))
    decoys: list[Shape] = []
    while len(decoys) < CANDIDATES - 1:  # each differs from the target in shape or colour
        kind, colour = rng.choice(SHAPES), rng.choice(COLOURS)
        if (kind, colour) != (target.kind, target.colour) and all(
                (kind, colour) != (d.kind, d.colour) for d in decoys):
            decoys.append(shape(kind, colour))
    answer = rng.randrange(CANDIDATES)
    candidates = decoys[:answer] + [shape(target.kind, target.colour)] + decoys[answer:]
    return target, candidates, answer


def shape_path(kind: str, radius: float) -> QPainterPath:
    """The outline of a shape centred on the origin."""
    path = QPainterPath()
    if kind == "circle":
        path.addEllipse(QPointF(0, 0), radius, radius)
        return path
    if kind == "square":
        side = radius * 1.5
        path.addRect(QRectF(-side / 2, -side / 2, side, side))
        return path
    corners = {"triangle": (3, 1.0), "diamond": (4, 1.0), "star": (10, 0.45)}[kind]
    count, inner = corners
    points = []
    for n in range(count):
        r = radius if kind != "star" or n % 2 == 0 else radius * inner
        angle = -math.pi / 2 + 2 * math.pi * n / count
        points.append(QPointF(r * math.cos(angle), r * math.sin(angle)))
    path.addPolygon(QPolygonF(points))
    path.closeSubpath()
    return path


class BreakGame(QWidget):
    """The game: `score`, `rounds`, `choice`, `answer`; a wrong pick shows the right one."""

    def __init__(self, rng: random.Random | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breakGame")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(420, 230)
        self.setAccessibleName("Shape matching game")
        self._rng = rng or random.Random()
        self.score = 0
        self.rounds = 0
        self.showing_answer = False
        self._next = QTimer(self)
        self._next.setSingleShot(True)
        self._next.timeout.connect(self.new_round)
        self.new_round()

    def new_round(self) -> None:
        self.target, self.candidates, self.answer = deal(self._rng)
        self.choice = 0
        self.showing_answer = False
        self.update()

    def step(self, step: int) -> None:
        if not self.showing_answer:
            self.choice = (self.choice + step) % CANDIDATES
            self.update()

    def confirm(self) -> bool:
        """Pick the chosen shape: True when it matches (scores, deals a new round)."""
        if self.showing_answer:
            return False
        self.rounds += 1
        if self.choice == self.answer:
            self.score += 1
            self.new_round()
            return True
        self.showing_answer = True  # the right one is framed for a moment
        self.update()
        self._next.start(SHOW_ANSWER_MS)
        return False

    # --- keys: the game's own keys never reach the window's shortcuts ---------------------

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in KEYS_LEFT + KEYS_RIGHT + KEYS_CONFIRM):
            event.accept()  # ours: Space must not fire the review's reveal shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in KEYS_LEFT:
            self.step(-1)
        elif key in KEYS_RIGHT:
            self.step(1)
        elif key in KEYS_CONFIRM and not event.isAutoRepeat():
            self.confirm()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # --- drawing -------------------------------------------------------------------------

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = self.width(), self.height()
        cell = width / CANDIDATES
        radius = min(cell * 0.32, height * 0.16)
        text = self.palette().color(self.foregroundRole())
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, width, 24), Qt.AlignmentFlag.AlignCenter,
                         f"Find the match (← → then Enter)    Score: {self.score}")
        self._draw(painter, self.target, QPointF(width / 2, 30 + radius * 1.2), radius * 1.2)
        row_y = height - radius * 1.6
        for n, shape in enumerate(self.candidates):
            centre = QPointF(cell * (n + 0.5), row_y)
            self._draw(painter, shape, centre, radius)
            frame = QRectF(centre.x() - radius * 1.3, centre.y() - radius * 1.3,
                           radius * 2.6, radius * 2.6)
            if n == self.choice:
                painter.setPen(QPen(text, 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(frame, 8, 8)
            if self.showing_answer and n == self.answer:
                painter.setPen(QPen(QColor("#2ca02c"), 5, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(frame.adjusted(-4, -4, 4, 4), 10, 10)
        painter.end()

    @staticmethod
    def _draw(painter: QPainter, shape: Shape, centre: QPointF, radius: float) -> None:
        painter.save()
        painter.translate(centre)
        painter.rotate(shape.rotation)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(shape.colour))
        painter.drawPath(shape_path(shape.kind, radius))
        painter.restore()
