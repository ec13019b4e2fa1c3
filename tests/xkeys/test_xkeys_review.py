"""One decision per physical key press, whatever the X server sends: the real review
window, on Qt's xcb platform, against the live seeded server, driven by XTEST key events
(a held key auto-repeats as on a reviewer's desk)."""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from key_driver import KeyDriver
from qt_child import QtChild
from x_server import XServer

WINDOW = Path(__file__).with_name("review_window_child.py")
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "spam"  # no broken items: every key press meets a decidable item
SETTLE_SECONDS = 0.5
"""Left after the last key for any decision it caused to land, before asking."""
PASSWORDS = {"demo": f"demo-{secrets.token_urlsafe(12)}"}  # fresh each run


@pytest.fixture
def seeded_server(live_server: object) -> object:
    from server.seed import seed_demo

    seed_demo(live_server.db_url, live_server.data_dir,  # type: ignore[attr-defined]
              passwords=PASSWORDS, scale="small")
    return live_server


@pytest.fixture
def review(x_server: XServer, keyboard: KeyDriver, seeded_server: object,
           tmp_path: Path) -> Iterator[QtChild]:
    env = dict(os.environ, DISPLAY=x_server.display, QT_QPA_PLATFORM="xcb",
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(tmp_path / "app-xdg"), REVIEWER_ALLOW_FILE_KEYRING="1",
               PYTHONPATH=str(ROOT))
    child = QtChild(WINDOW, env, str(tmp_path / "app-data"),
                    seeded_server.url, QUEUE)  # type: ignore[attr-defined]
    try:
        child.send(PASSWORDS["demo"])
        keyboard.focus(int(child.expect("window", timeout=90)))
        child.expect("focused")
        yield child
    finally:
        child.stop()


def report(child: QtChild, keyboard: KeyDriver) -> dict:
    time.sleep(SETTLE_SECONDS)
    keyboard.tap("F12")
    return json.loads(child.expect("report"))


def test_decision_key_held_two_seconds_is_one_decision(review: QtChild,
                                                       keyboard: KeyDriver) -> None:
    first = report(review, keyboard)["current"]
    keyboard.hold("1", 2.0)
    after = report(review, keyboard)
    assert after["decided"] == [first]
    assert after["current"] != first


def test_space_held_two_seconds_is_one_reveal(review: QtChild, keyboard: KeyDriver) -> None:
    keyboard.hold("Space", 2.0)
    after = report(review, keyboard)
    assert (after["reveals_started"], after["ledger_reveals"]) == (1, 1)
    assert not after["revealing"] and after["decided"] == []


def test_three_quick_separate_presses_are_three_decisions(review: QtChild,
                                                          keyboard: KeyDriver) -> None:
    keyboard.tap_each(["1", "1", "1"], gap=0.5)
    decided = report(review, keyboard)["decided"]
    assert len(decided) == len(set(decided)) == 3


def test_undo_held_two_seconds_undoes_one_decision(review: QtChild,
                                                   keyboard: KeyDriver) -> None:
    keyboard.tap_each(["1", "1"], gap=0.5)
    first, second = reversed(report(review, keyboard)["decided"])
    keyboard.hold("Ctrl+Z", 2.0)
    assert report(review, keyboard)["current"] == second  # not `first`: one undo


def test_timed_reveal_key_held_two_seconds_is_one_reveal(review: QtChild,
                                                         keyboard: KeyDriver) -> None:
    keyboard.hold("R", 2.0)
    assert report(review, keyboard)["reveals_started"] == 1
