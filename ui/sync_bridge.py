"""Carries SyncLoop reports (from the sync thread) to the GUI thread as a Qt signal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class SyncBridge(QObject):
    """`report(SyncReport)` is emitted on the GUI thread; `poke()` asks for a sync now."""

    report = Signal(object)

    def __init__(self, sync_loop: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loop: Any = None
        self.attach(sync_loop)

    def attach(self, sync_loop: Any) -> None:
        """Listen to `sync_loop` (a new one after a re-login replaces the old)."""
        self.loop = sync_loop
        if sync_loop is not None:
            # Emitting from the sync thread queues the signal to this GUI-thread object.
            sync_loop.add_listener(self.report.emit)

    def poke(self) -> None:
        if self.loop is not None:
            self.loop.poke()
