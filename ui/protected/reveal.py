"""Reveal: the only path by which unprotected content reaches the screen.

A reveal starts only if the content's exposure gate allows it
(`ProtectedContent.reveal_start`: the caps of the person looking, which hold offline),
and ends on key release (hold), on its timer (toggle, and as a safety net for hold), on
focus loss and on item change. Ending always re-protects the view first and then records
the reveal's duration through the gate.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer.errors import ReviewerError
from reviewer.protected import ProtectedContent

if TYPE_CHECKING:
    from ui.protected.item_view import ItemView
    from ui.protected.preparer import PreparedView


class RevealController(QObject):
    """Owns the reveal state of the item view. `refused(reason)` when not allowed."""

    refused = Signal(str)
    changed = Signal(bool)

    def __init__(self, content: ProtectedContent, view: ItemView) -> None:
        super().__init__()
        self._content = content
        self._view = view
        self.mode: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.end("timeout"))
        self.prepared: Callable[[], PreparedView | None] = lambda: None

    @property
    def active(self) -> bool:
        return self.mode is not None

    def start(self, mode: str) -> None:
        """Reveal the current item, if the view has something revealable and caps allow."""
        if self.active or self._view.kind not in ("image", "text"):
            return
        pixmap = None
        if self._view.kind == "image":
            prepared = self.prepared()
            pixmap = prepared.revealed_pix() if prepared else None
            if pixmap is None:
                return
        try:
            decision = self._content.reveal_start(mode)
        except ReviewerError as exc:
            self.refused.emit(exc.message)
            return
        if not decision.allowed:
            self.refused.emit(decision.reason or "Revealing is not allowed right now.")
            return
        self.mode = mode
        seconds = self._content.policy.reveal_timeout_s
        if decision.max_seconds:
            seconds = min(seconds, decision.max_seconds)
        self._timer.start(max(100, int(seconds * 1000)))
        self._view.set_revealed(True, pixmap)
        self.changed.emit(True)

    def toggle(self) -> None:
        if self.active:
            self.end("toggle")
        else:
            self.start("toggle")

    def end(self, why: str = "release") -> None:
        """Re-protect now, then record the duration. Safe to call when not revealing."""
        if not self.active:
            return
        self.mode = None
        self._timer.stop()
        self._view.set_revealed(False)
        self.changed.emit(False)
        # The view is protected already; the content's owner also ends reveals on its own.
        with contextlib.suppress(ReviewerError):
            self._content.reveal_end()
