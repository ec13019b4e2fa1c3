"""A coordinator's policy change reaches a running review window on its next policy fetch
(no restart), and the protection on screen follows it."""

from __future__ import annotations

from typing import Any

from ui_helpers import decide_current, set_wellness_policy


def test_a_policy_change_reaches_the_open_window(qtbot: Any, open_review: Any,
                                                 seeded_server: Any) -> None:
    window = open_review("violent-imagery")
    while window.view.kind != "image" or window.broken:
        decide_current(qtbot, window)
    assert not window.session.policy.pixelate
    before = window.view.displayed_pixmap().toImage()

    set_wellness_policy(seeded_server, pixelate=True, max_reveals_per_item=2)
    with qtbot.waitSignal(window.policy.changed, timeout=10000):
        window.policy.refresh()  # what its timer (and the end of an outage) does

    assert window.session.policy.pixelate and window.session.policy.max_reveals_per_item == 2
    qtbot.waitUntil(lambda: window.state == "question" and window.view.kind == "image",
                    timeout=10000)
    assert window.view.displayed_pixmap().toImage() != before  # protected anew


def test_the_policy_is_fetched_again_when_the_server_is_back(qtbot: Any, open_review: Any,
                                                             seeded_server: Any) -> None:
    from types import SimpleNamespace

    window = open_review()
    set_wellness_policy(seeded_server, max_reveals_per_item=1)
    window.policy.sync_reported(SimpleNamespace(online=False))
    with qtbot.waitSignal(window.policy.changed, timeout=10000):
        window.policy.sync_reported(SimpleNamespace(online=True))
    assert window.session.policy.max_reveals_per_item == 1
