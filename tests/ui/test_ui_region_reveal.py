"""Region reveal: Shift+Space held shows the original only in a small circle around the
pointer, and the reveal is logged as area × time and counted with that weight."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor
from ui_helpers import decide_current


def test_a_region_reveal_shows_a_circle_and_counts_its_area(qtbot: Any, open_review: Any,
                                                            workstation: Any) -> None:
    window = open_review("violent-imagery")
    while window.view.kind != "image" or window.broken:
        decide_current(qtbot, window)
    view = window.view
    rect = view.image_rect()
    centre = rect.center()
    QCursor.setPos(view.mapToGlobal(centre))
    seconds_before = window.session._gate.seconds_today()

    qtbot.keyPress(window, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert window.reveal.mode == "region" and view.region is not None
    shot = view.grab().toImage()
    prepared = window.presenter.prepared_current()
    revealed = prepared.revealed_pix().toImage()
    protected = prepared.protected_pix().toImage()
    ratio = view.devicePixelRatioF()
    spot = view.pointer()

    def painted(at: QPoint) -> Any:
        return shot.pixelColor(round(at.x() * ratio), round(at.y() * ratio))

    def source(image: Any, at: QPoint) -> Any:
        return image.pixelColor(round((at.x() - rect.x()) * ratio),
                                round((at.y() - rect.y()) * ratio))

    assert source(revealed, spot) != source(protected, spot)  # the two differ there
    assert painted(spot) == source(revealed, spot)  # the original under the pointer
    far = QPoint(rect.left() + 2, rect.top() + 2) if spot.x() > rect.left() + view.region + 4 \
        else QPoint(rect.right() - 2, rect.bottom() - 2)
    assert painted(far) == source(protected, far)  # still protected away from it

    qtbot.wait(300)
    qtbot.keyRelease(window, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert not window.reveal.active and view.region is None
    entry = workstation.store.ledger_unsynced(username="demo")[-1]
    assert entry.mode == "region"
    assert entry.area == pytest.approx(view.region_share(view.region_radius()))
    assert 0 < entry.area < 0.5
    spent = window.session._gate.seconds_today() - seconds_before
    assert spent == pytest.approx(entry.duration_ms / 1000 * entry.area)  # area × time
