"""A category rule set by the coordinator reaches the review window: an image of that
category shows the warning card (nothing of the item) until a deliberate reveal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select
from ui_helpers import PASSWORDS, decide_current, wait_for_question

from reviewer.api import ApiClient
from reviewer.coordinator import CoordinatorService
from server.db import Database
from server.models import Item
from wellness.protect import CARD_COLOUR

QUEUE = "hate-speech"


def test_a_category_at_the_warning_level_shows_a_plain_card(qtbot: Any, seeded_server: Any,
                                                             open_review: Any) -> None:
    db = Database(seeded_server.db_url)
    try:
        with db.session() as session:
            categories = set(session.scalars(
                select(Item.category).where(Item.queue == QUEUE, Item.kind == "image")))
    finally:
        db.dispose()
    api = ApiClient(seeded_server.url)
    api.login("wellness", PASSWORDS["wellness"])
    try:
        CoordinatorService(api).save_policy("user:demo", {"categories": {
            category: {"blur": "warning"} for category in categories}})
    finally:
        api.close()

    window = open_review(QUEUE)
    cards = 0
    for _ in range(12):
        wait_for_question(qtbot, window)
        if window.view.kind == "image" and not window.broken:
            prepared = window.presenter.prepared_current().protected
            shown = window.view.displayed_pixmap().toImage()
            for image in (prepared, shown):
                centre = image.pixelColor(image.width() // 2, image.height() // 2)
                assert (centre.red(), centre.green(), centre.blue()) == CARD_COLOUR
                assert image.pixelColor(image.width() // 3, image.height() // 4) == centre
            qtbot.keyPress(window, Qt.Key.Key_Space)
            assert window.view.displayed_pixmap().toImage() != shown  # the deliberate reveal
            qtbot.keyRelease(window, Qt.Key.Key_Space)
            cards += 1
        decide_current(qtbot, window)
    assert cards >= 2
