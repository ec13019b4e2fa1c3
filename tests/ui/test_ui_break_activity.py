"""The break game in the review loop: offered by policy, it has the keys during a break,
records nothing, shows no content, and hands the keys to Resume once the break is over."""

from __future__ import annotations

import random
from typing import Any

from manual_clock import ManualClock
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import decide_current, press, set_wellness_policy, wait_for_question

from ui.review.break_game import deal

SEED = 7


def _break_now(qtbot: Any, window: Any) -> Any:
    """Make the break due on a manual clock; returns the clock."""
    clock = ManualClock()
    window.session.breaks.clock = clock
    window.layout_parts.pause.game_random = random.Random(SEED)
    decide_current(qtbot, window)
    wait_for_question(qtbot, window)
    clock.advance(61)
    qtbot.waitUntil(lambda: window.state == "break", timeout=3000)
    return clock


def _key(qtbot: Any, key: Qt.Key) -> None:
    """A key as the keyboard sends it: to whatever has the focus."""
    qtbot.keyClick(QApplication.focusWidget(), key)


def test_the_game_has_the_keys_during_a_break_and_decides_nothing(
        qtbot: Any, open_review: Any, seeded_server: Any) -> None:
    set_wellness_policy(seeded_server, break_every_minutes=1, break_length_minutes=1,
                        break_activity=True)
    window = open_review("hate-speech")
    clock = _break_now(qtbot, window)
    screen = window.layout_parts.pause
    game = screen.game
    assert game is not None and game.isVisible() and game.hasFocus()
    decided = len(window.session.history(10))

    answer = deal(random.Random(SEED))[2]  # the seeded deal: the test knows the answer
    assert game.answer == answer
    for _ in range(answer):
        _key(qtbot, Qt.Key.Key_Right)
    _key(qtbot, Qt.Key.Key_Return)
    assert game.score == 1
    for _ in range(game.answer):
        _key(qtbot, Qt.Key.Key_Right)
    _key(qtbot, Qt.Key.Key_Space)  # the game's, not the review's reveal
    assert game.score == 2 and not window.reveal.active
    for key in ("1", "E", "S", "R", "Ctrl+Z", "6"):  # review keys still do nothing
        press(qtbot, window, key)
    assert len(window.session.history(10)) == decided and window.state == "break"
    assert game.hasFocus()

    clock.advance(60)  # over: Resume takes the keys, Enter resumes as without the game
    qtbot.waitUntil(screen.resume.isEnabled, timeout=2000)
    assert screen.resume.hasFocus() and not game.isEnabled()
    _key(qtbot, Qt.Key.Key_Return)
    wait_for_question(qtbot, window)
    assert window.view.isVisible() and len(window.session.history(10)) == decided


def test_without_the_activity_a_break_shows_no_game(
        qtbot: Any, open_review: Any, seeded_server: Any) -> None:
    set_wellness_policy(seeded_server, break_every_minutes=1, break_length_minutes=1)
    window = open_review("hate-speech")
    assert window.session.policy.break_activity is False
    _break_now(qtbot, window)
    screen = window.layout_parts.pause
    assert screen.game is None and screen.focus_target() is screen
    assert screen.hasFocus()


def test_a_grab_during_the_game_shows_no_content_pixels(
        qtbot: Any, open_review: Any, seeded_server: Any) -> None:
    set_wellness_policy(seeded_server, break_every_minutes=1, break_length_minutes=1,
                        break_activity=True)
    window = open_review("violent-imagery")
    clock = ManualClock()
    window.session.breaks.clock = clock
    window.layout_parts.pause.game_random = random.Random(SEED)
    while window.view.kind != "image" or window.broken:
        decide_current(qtbot, window)
    view = window.view
    prepared = window.presenter.prepared_current()
    sources = [prepared.protected_pix().toImage(), prepared.revealed_pix().toImage()]
    rect = view.image_rect()
    origin = view.mapTo(window, rect.topLeft())
    ratio = window.devicePixelRatioF()
    points = [QPoint(x, y) for x in range(2, rect.width() - 2, max(1, rect.width() // 24))
              for y in range(2, rect.height() - 2, max(1, rect.height() // 24))]

    def share_like_the_item(shot: Any) -> float:
        """How many sampled points of the item's place show the item's own colour."""
        alike = 0
        for at in points:
            painted = shot.pixelColor(round((origin.x() + at.x()) * ratio),
                                      round((origin.y() + at.y()) * ratio))
            alike += any(painted == image.pixelColor(round(at.x() * ratio),
                                                     round(at.y() * ratio))
                         for image in sources)
        return alike / len(points)

    assert share_like_the_item(window.grab().toImage()) > 0.9  # the measure sees content
    clock.advance(61)
    qtbot.waitUntil(lambda: window.state == "break", timeout=3000)
    game = window.layout_parts.pause.game
    assert game is not None and game.isVisible()
    qtbot.wait(50)
    shot = window.grab().toImage()
    assert share_like_the_item(shot) < 0.05
    assert not view.isVisible() and view.displayed_pixmap() is None
