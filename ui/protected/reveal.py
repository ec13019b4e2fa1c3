"""Reveal: the only path by which unprotected content reaches the screen.

A reveal starts only if the content's exposure gate allows it
(`ProtectedContent.reveal_start`: the caps of the person looking, which hold offline),
and ends on key release (hold), on its timer (toggle, and as a safety net for hold), on
focus loss and on item change. A held key is one reveal: its auto-repeats start nothing,
and only its real release (`ui.physical_keys`) ends the reveal. Ending always re-protects
the view first and then records the reveal's duration through the gate.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer.errors import ReviewerError
from reviewer.protected import ProtectedContent

if TYPE_CHECKING:
    from ui.physical_keys import PhysicalKeys
    from ui.protected.item_view import ItemView
    from ui.protected.preparer import PreparedView


HELD_MODES = ("hold", "region")


class RevealController(QObject):
    """Owns the reveal state of the item view. `refused(reason)` when not allowed."""

    refused = Signal(str)
    changed = Signal(bool)

    def __init__(self, content: ProtectedContent, view: ItemView,
                 keys: PhysicalKeys | None = None) -> None:
        super().__init__()
        self._content = content
        self._view = view
        self._keys = keys
        self._hold_key: int | None = None
        if keys is not None:
            keys.released.connect(self._key_released)
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
        elif mode == "region":
            return  # a circle of text reveals nothing readable: hold Space instead
        radius = self._view.region_radius() if mode == "region" else None
        area = self._view.region_share(radius) if radius is not None else None
        try:
            decision = self._content.reveal_start(mode, area) if area else \
                self._content.reveal_start(mode)
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
        self._view.set_revealed(True, pixmap, region=radius)
        self.changed.emit(True)

    def hold_region(self) -> None:
        """Shift+Space held: reveal only a circle around the pointer (images), counted
        against the caps by its share of the item; ends like a held reveal."""
        press = self._keys.current if self._keys is not None else None
        if press is not None and press.repeat:
            return
        self._hold_key = press.key if press is not None else None
        self.start("region")

    def hold(self) -> None:
        """The hold key: reveal until it is really released. Its auto-repeats (flagged or
        not) start nothing, so a held key is one reveal, even after the timer ended it."""
        press = self._keys.current if self._keys is not None else None
        if press is not None and press.repeat:
            return
        self._hold_key = press.key if press is not None else None
        self.start("hold")

    def hold_key_released(self) -> None:
        """A release of the hold key with no keyboard behind it (a synthetic event)."""
        if self.mode in HELD_MODES and self._hold_key is None:
            self.end("release")

    def _key_released(self, key: int) -> None:
        if self.mode in HELD_MODES and key == self._hold_key:
            self.end("release")

    def seconds_left(self) -> float | None:
        """Seconds until a running reveal ends by itself; None when not revealing."""
        if not self.active or not self._timer.isActive():
            return None
        return max(0, self._timer.remainingTime()) / 1000.0

    def toggle(self) -> None:
        """Reveal for the timeout, or end it; a held key toggles once."""
        press = self._keys.current if self._keys is not None else None
        if press is not None and press.repeat:
            return
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
