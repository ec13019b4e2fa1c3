"""Paints the current item: protected image or masked text, revealed only on request.

The view holds at most the protected pixmap and, during a reveal only, the revealed
one; `set_revealed(False)` drops the revealed pixmap so no original pixels can be
painted by accident (resize, repaint, grab). Broken items paint a "cannot display"
card with the reason and what the reviewer can do. No decoding or blurring happens
here: pixmaps arrive ready from the Preparer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from wellness.protect import mask_text

BACKGROUND = QColor("#1e2124")
CARD = QColor("#2b2f33")
TEXT = QColor("#e6e6e6")
MUTED = QColor("#9aa0a6")
MASKED = QColor("#4a5057")
BADGE_PROTECTED = QColor("#3c6e47")
BADGE_REVEALED = QColor("#b3401e")
BROKEN_HINT = "E escalate · S skip"
REGION_SHARE_OF_EDGE = 0.12  # a region reveal's radius, of the image's short edge
REGION_MIN_RADIUS = 40


@dataclass
class Shown:
    """What the view shows now. `kind`: empty | loading | image | text | broken."""

    kind: str = "empty"
    message: str = ""
    protected: QPixmap | None = None
    revealed: QPixmap | None = None
    text: str = ""


class ItemView(QWidget):
    """The content area. `paint_hooks` are called after every paint (benchmarks, tests)."""

    MARGIN = 12
    BADGE_BAND = 34  # the PROTECTED/REVEALED badge sits above the content, never on it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.paint_hooks: list[Callable[[], None]] = []
        self._shown = Shown()
        self._revealed = False
        self._region: int | None = None
        self.setMouseTracking(True)  # a region reveal follows the pointer
        self._masked_cache: tuple[str, str] = ("", "")

    # --- what to show ------------------------------------------------------------------

    def target_size(self) -> tuple[int, int]:
        """The box images are prepared for (the view minus its margins), in the screen's
        device pixels: on a 2x display an image is prepared at twice the logical size
        and painted one to one, sharp, never stretched."""
        ratio = self.devicePixelRatioF()
        area = self.content_area()
        return max(64, round(area.width() * ratio)), max(64, round(area.height() * ratio))

    def content_area(self) -> QRect:
        """Where the item is painted: inside the margins, below the badge's band."""
        m = self.MARGIN
        return self.rect().adjusted(m, m + self.BADGE_BAND, -m, -m)

    def show_message(self, message: str, *, loading: bool = False) -> None:
        self._set(Shown(kind="loading" if loading else "empty", message=message))

    def show_image(self, protected: QPixmap) -> None:
        self._set(Shown(kind="image", protected=protected))

    def show_text(self, text: str) -> None:
        self._set(Shown(kind="text", text=text))

    def show_broken(self, reason: str) -> None:
        self._set(Shown(kind="broken", message=reason))

    def set_revealed(self, revealed: bool, pixmap: QPixmap | None = None, *,
                     region: int | None = None) -> None:
        """Reveal (with the unprotected pixmap for images) or re-protect at once; with
        `region` (a radius in logical pixels) only a circle around the pointer."""
        self._revealed = revealed
        self._shown.revealed = pixmap if revealed else None
        self._region = region if revealed else None
        self.update()

    def region_radius(self) -> int:
        """The radius of a region reveal: a small share of the image, never a pinhole."""
        rect = self.image_rect()
        short = min(rect.width(), rect.height()) if rect is not None else 0
        return max(REGION_MIN_RADIUS, round(short * REGION_SHARE_OF_EDGE))

    def region_share(self, radius: int) -> float:
        """The share of the image a circle of `radius` shows (what its reveal weighs)."""
        rect = self.image_rect()
        if rect is None or rect.isEmpty():
            return 1.0
        return min(1.0, math.pi * radius * radius / (rect.width() * rect.height()))

    @property
    def region(self) -> int | None:
        return self._region

    def pointer(self) -> QPoint:
        """Where the pointer is over the view (its centre when it is elsewhere)."""
        spot = self.mapFromGlobal(QCursor.pos())
        return spot if self.rect().contains(spot) else self.rect().center()

    @property
    def kind(self) -> str:
        return self._shown.kind

    @property
    def revealed(self) -> bool:
        return self._revealed

    @property
    def message(self) -> str:
        return self._shown.message

    def displayed_pixmap(self) -> QPixmap | None:
        """The image pixmap that paintEvent would draw now."""
        if self._shown.kind != "image":
            return None
        if self._revealed and self._shown.revealed is not None:
            return self._shown.revealed
        return self._shown.protected

    def displayed_text(self) -> str:
        if self._shown.kind != "text":
            return ""
        return self._shown.text if self._revealed else self._masked(self._shown.text)

    def _set(self, shown: Shown) -> None:
        self._shown = shown
        self._revealed = False
        self._region = None
        self.update()

    def _masked(self, text: str) -> str:
        if self._masked_cache[0] != text:
            self._masked_cache = (text, mask_text(text))
        return self._masked_cache[1]

    # --- painting --------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(960, 680)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        area = self.content_area()
        kind = self._shown.kind
        if kind == "image":
            self._paint_image(painter, area)
        elif kind == "text":
            self._paint_text(painter, area)
        elif kind == "broken":
            self._paint_broken(painter, area)
        else:
            painter.setPen(MUTED)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self._shown.message)
        if kind in ("image", "text"):
            self._paint_badge(painter)
        painter.end()
        for hook in self.paint_hooks:
            hook()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._region is not None:
            self.update()
        super().mouseMoveEvent(event)

    def image_rect(self) -> QRect | None:
        """Where the image is painted now (logical pixels), None without an image."""
        pixmap = self._shown.protected if self._shown.kind == "image" else None
        if pixmap is None or pixmap.isNull():
            return None
        return self._fit(pixmap, self.content_area())

    def _fit(self, pixmap: QPixmap, area: QRect) -> QRect:
        """Centred in `area`, one to one: the pixmap is in device pixels (see target_size),
        its logical size is smaller. A resize that made the view smaller than the prepared
        image scales what we have (still protected unless revealing) until the new size is
        ready."""
        ratio = self.devicePixelRatioF()
        size = QSize(round(pixmap.width() / ratio), round(pixmap.height() / ratio))
        if size.width() > area.width() or size.height() > area.height():
            size = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = area.x() + (area.width() - size.width()) // 2
        y = area.y() + (area.height() - size.height()) // 2
        return QRect(x, y, size.width(), size.height())

    def _paint_image(self, painter: QPainter, area: QRect) -> None:
        if self._region is not None and self._shown.protected is not None:
            self._paint_region(painter, area)
            return
        pixmap = self.displayed_pixmap()
        if pixmap is None or pixmap.isNull():
            return
        painter.drawPixmap(self._fit(pixmap, area), pixmap)

    def _paint_region(self, painter: QPainter, area: QRect) -> None:
        """The protected image, and the original only inside a circle at the pointer."""
        protected, revealed = self._shown.protected, self._shown.revealed
        target = self._fit(protected, area)
        painter.drawPixmap(target, protected)
        if revealed is None or self._region is None:
            return
        circle = QPainterPath()
        circle.addEllipse(QPointF(self.pointer()), self._region, self._region)
        painter.save()
        painter.setClipPath(circle.intersected(_rect_path(target)))
        painter.drawPixmap(target, revealed)
        painter.restore()

    def _paint_text(self, painter: QPainter, area: QRect) -> None:
        painter.fillRect(area, CARD)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        inner = area.adjusted(24, 52, -24, -24)
        if not self._revealed:
            painter.setPen(MUTED)
            painter.drawText(
                area.adjusted(0, 14, -16, 0),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                "Text hidden · hold Space to read",
            )
        painter.setFont(font)
        painter.setPen(TEXT if self._revealed else MASKED)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(inner, int(flags), self.displayed_text())

    def _paint_broken(self, painter: QPainter, area: QRect) -> None:
        card = QRect(0, 0, min(560, area.width()), 180)
        card.moveCenter(area.center())
        painter.fillRect(card, CARD)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(TEXT)
        inner = card.adjusted(24, 20, -24, -20)
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignTop), "Cannot display this item")
        painter.setFont(self.font())
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(inner, int(flags), self._shown.message)
        painter.setPen(MUTED)
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignBottom), BROKEN_HINT)

    def _paint_badge(self, painter: QPainter) -> None:
        label = "REVEALED" if self._revealed else "PROTECTED"
        colour = BADGE_REVEALED if self._revealed else BADGE_PROTECTED
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance(label) + 20
        badge = QRect(self.MARGIN, self.MARGIN + (self.BADGE_BAND - 24) // 2 - 2, width, 24)
        painter.fillRect(badge, colour)
        painter.setPen(TEXT)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)


def _rect_path(rect: QRect) -> QPainterPath:
    path = QPainterPath()
    path.addRect(QRectF(rect))
    return path
