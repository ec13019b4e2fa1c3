"""Refuse to run on a Qt binding that corrupts Python's reference count of None.

PySide6 6.12.0 on Python 3.11 drops one reference to None on every call that returns
nothing (`update()`, `setFocus()`, each painter call...). None is not immortal before
Python 3.12, so after some thousands of such calls the process dies with "Fatal Python
error: deallocating None", in the middle of a reviewer's shift. The dependency pin keeps
that build out; this check catches an environment that got it anyway, at start, with a
message that says what to do.
"""

from __future__ import annotations

import sys

PROBE_CALLS = 200


def none_refcount_drift(calls: int = PROBE_CALLS) -> int:
    """How many references to None `calls` do-nothing Qt calls lost (0 when sound)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")  # returns nothing
    return before - sys.getrefcount(None)


def binding_problem() -> str | None:
    """A sentence for the reviewer when the installed binding would crash the app."""
    if sys.version_info >= (3, 12):
        return None  # None is immortal: the binding's bug is harmless there
    if none_refcount_drift() < PROBE_CALLS // 2:
        return None
    import PySide6

    return (f"This PySide6 ({PySide6.__version__}) would crash Reviewer Workstation on "
            f"Python {sys.version.split()[0]}. Install PySide6-Essentials older than 6.12 "
            "(pip install 'PySide6-Essentials<6.12') or use Python 3.12 or newer.")
