"""The break game on its own: a seeded deal, keys that move and pick, the score."""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import Qt

from ui.review.break_game import CANDIDATES, BreakGame, deal


def _game(qtbot: Any, seed: int = 7) -> BreakGame:
    game = BreakGame(random.Random(seed))
    qtbot.addWidget(game)
    game.show()
    qtbot.waitExposed(game)
    game.setFocus()
    return game


def _walk_to(qtbot: Any, game: BreakGame, index: int) -> None:
    while game.choice != index:
        qtbot.keyClick(game, Qt.Key.Key_Right)


def test_a_deal_has_exactly_one_match_and_is_the_same_for_a_seed() -> None:
    for seed in range(50):
        target, candidates, answer = deal(random.Random(seed))
        assert len(candidates) == CANDIDATES
        assert [n for n, c in enumerate(candidates) if c.matches(target)] == [answer]
        assert deal(random.Random(seed)) == (target, candidates, answer)


def test_a_correct_pick_scores_and_deals_a_new_round(qtbot: Any) -> None:
    game = _game(qtbot)
    assert game.answer == deal(random.Random(7))[2]
    _walk_to(qtbot, game, game.answer)
    first = (game.target, game.candidates)
    qtbot.keyClick(game, Qt.Key.Key_Return)
    assert (game.score, game.rounds) == (1, 1)
    assert (game.target, game.candidates) != first and game.choice == 0
    _walk_to(qtbot, game, game.answer)
    qtbot.keyClick(game, Qt.Key.Key_Space)  # Space picks as well
    assert (game.score, game.rounds) == (2, 2)


def test_a_wrong_pick_does_not_score_and_shows_the_right_one(qtbot: Any) -> None:
    game = _game(qtbot)
    wrong = (game.answer + 1) % CANDIDATES
    _walk_to(qtbot, game, wrong)
    qtbot.keyClick(game, Qt.Key.Key_Left)
    qtbot.keyClick(game, Qt.Key.Key_Right)  # arrows move both ways
    assert game.choice == wrong
    qtbot.keyClick(game, Qt.Key.Key_Return)
    assert (game.score, game.rounds) == (0, 1) and game.showing_answer
    qtbot.keyClick(game, Qt.Key.Key_Return)  # keys wait while the answer shows
    assert game.rounds == 1
    qtbot.waitUntil(lambda: not game.showing_answer, timeout=3000)
    assert game.score == 0 and game.choice == 0


def test_the_game_paints_its_shapes(qtbot: Any) -> None:
    game = _game(qtbot)
    game.resize(480, 260)
    image = game.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert game.target.colour in colours


def test_the_coordinators_policy_form_offers_the_break_activity(qtbot: Any) -> None:
    from PySide6.QtWidgets import QCheckBox

    from ui.coordinator.policy_form import LABELS, PolicyForm

    form = PolicyForm()
    qtbot.addWidget(form)
    row = form.rows["break_activity"]
    assert isinstance(row.editor, QCheckBox) and not row.editor.isChecked()  # off by default
    assert LABELS["break_activity"] == "Shape game during breaks"
    row.set_here.setChecked(True)
    row.editor.setChecked(True)
    assert form.settings() == {"break_activity": True}
