"""The app's workers give the GIL back quickly, so the GUI thread resumes within a frame."""

from __future__ import annotations

import sys

from ui.workers import GIL_SWITCH_SECONDS, Workers


def test_workers_shorten_the_gil_switch_interval(qapp):
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # CPython's default
    workers = Workers()
    try:
        assert sys.getswitchinterval() <= GIL_SWITCH_SECONDS <= 0.002
    finally:
        workers.shutdown()
        sys.setswitchinterval(previous)
