"""The protected view works for anyone who implements `ProtectedContent`, not only a
review session: the QA replay reuses it as it is. Built here from a plain object."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from PIL import Image

from reviewer.errors import MediaRejected
from reviewer.protected import ProtectedContent
from reviewer.protocol import ExposureEntry, Item, MediaRef, RevealMode, WellnessPolicy
from wellness.exposure import RevealDecision


def _jpeg() -> bytes:
    image = Image.new("RGB", (320, 200))
    for x in range(320):
        for y in range(0, 200, 4):
            image.putpixel((x, y), (x % 256, 40, 200 - y))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


class PlainContent:
    """A stand-in viewer: one item's bytes, a budget of `reveals` reveals, a list ledger."""

    def __init__(self, data: bytes, reveals: int) -> None:
        self._data, self._left = data, reveals
        self.policy = WellnessPolicy(reveal_timeout_s=30)
        self.ledger: list[ExposureEntry] = []
        self._open: datetime | None = None

    def media_bytes(self, item_id: str) -> bytes:
        if item_id != "plain-1":
            raise MediaRejected("unknown item")
        return self._data

    def reveal_start(self, mode: RevealMode = "hold") -> RevealDecision:
        if self._left <= 0:
            return RevealDecision(False, "No reveals left for this item.", 0.0)
        self._left -= 1
        self._open = datetime.now(UTC)
        return RevealDecision(True, None, 30.0)

    def reveal_end(self) -> ExposureEntry | None:
        if self._open is None:
            return None
        entry = ExposureEntry(entry_id=uuid4(), item_id="plain-1", category="test",
                              severity=1, mode="hold", started_at=self._open, duration_ms=5)
        self._open = None
        self.ledger.append(entry)
        return entry


def test_protected_view_prepares_and_reveals_for_any_content(qtbot: Any, workers: Any) -> None:
    from ui.protected.item_view import ItemView
    from ui.protected.preparer import Preparer
    from ui.protected.reveal import RevealController

    data = _jpeg()
    content = PlainContent(data, reveals=1)
    typed: ProtectedContent = content  # the protocol is all the view asks for
    view = ItemView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    preparer = Preparer(typed, workers)
    reveal = RevealController(typed, view)
    refusals: list[str] = []
    reveal.refused.connect(refusals.append)
    item = Item(id="plain-1", queue="q", kind="image", category="test", severity=1,
                created_at=datetime.now(UTC),
                media=MediaRef(sha256=hashlib.sha256(data).hexdigest(), mime="image/jpeg",
                               bytes=len(data)))
    size = view.target_size()
    try:
        with qtbot.waitSignal(preparer.ready, timeout=20000):
            preparer.want([item], size)
        prepared = preparer.get(item.id, size)
        assert prepared is not None and prepared.error is None
        view.show_image(prepared.protected_pix())
        reveal.prepared = lambda: prepared
        protected = view.displayed_pixmap().toImage()
        assert protected != prepared.revealed.convertToFormat(protected.format())

        reveal.start("hold")  # within budget: the original pixels, through the gate
        assert view.revealed
        assert view.displayed_pixmap().toImage() == prepared.revealed.convertToFormat(
            protected.format())
        reveal.end("release")
        assert not view.revealed and view.displayed_pixmap().toImage() == protected
        assert len(content.ledger) == 1  # the reveal was recorded by the content's gate

        reveal.start("hold")  # the gate refuses: the view stays protected and says why
        assert not view.revealed and refusals == ["No reveals left for this item."]
    finally:
        preparer.close()
    assert preparer.decoder.child_pids() == []  # the preparer ended its decoder


def test_the_badge_sits_above_the_item_never_on_it(qtbot: Any) -> None:
    from PySide6.QtGui import QColor, QImage, QPixmap

    from ui.protected.item_view import ItemView

    view = ItemView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    width, height = view.target_size()
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    view.show_image(QPixmap.fromImage(image))  # as large as the view allows
    shot = view.grab().toImage()
    area = view.content_area()
    ratio = view.devicePixelRatioF()
    corner = [shot.pixelColor(round((area.left() + x) * ratio), round((area.top() + y) * ratio))
              for x in range(0, 160, 4) for y in range(0, 48, 4)]
    assert all(c == QColor("red") for c in corner)  # nothing covers its top-left corner
    badge = shot.pixelColor(round((view.MARGIN + 10) * ratio), round((view.MARGIN + 12) * ratio))
    assert badge != QColor("red")  # and the badge is painted, in its own band
