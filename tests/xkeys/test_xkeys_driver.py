"""The key driver does what a person's keyboard does: a held key makes the X server
auto-repeat it, quick separate presses arrive as separate presses. Proved on a plain
QWidget on Qt's xcb platform, in a child process on the test's Xvfb."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from key_driver import KeyDriver
from qt_child import QtChild
from x_server import XServer

COUNTER = Path(__file__).with_name("key_counter.py")


@pytest.fixture
def counter(x_server: XServer, keyboard: KeyDriver) -> Iterator[QtChild]:
    child = QtChild(COUNTER, x_server.env)
    try:
        keyboard.focus(int(child.expect("window")))
        child.expect("focused")
        yield child
    finally:
        child.stop()


def counted(child: QtChild, keyboard: KeyDriver) -> dict[str, dict[str, int]]:
    """What the widget counted so far: F12 asks, and arrives after every earlier key."""
    keyboard.tap("F12")
    return json.loads(child.expect("report"))


def test_a_key_held_two_seconds_auto_repeats(counter: QtChild, keyboard: KeyDriver) -> None:
    keyboard.hold("3", 2.0)
    three = counted(counter, keyboard)["3"]
    assert three["press"] >= 10  # one physical press, many presses from auto-repeat
    # ... each with its release, as X11 sends them; Qt flags some, all or none of them as
    # auto-repeat (seen: 41, 12 and 0 of 50), which is why the app cannot trust the flag.
    assert three["release"] == three["press"]


def test_quick_separate_presses_arrive_as_separate_presses(
        counter: QtChild, keyboard: KeyDriver) -> None:
    keyboard.tap_each(["1", "1", "1"])
    keyboard.tap("Space")
    counts = counted(counter, keyboard)
    assert counts["1"] == {"press": 3, "release": 3}
    assert counts[" "] == {"press": 1, "release": 1}
