"""Which keys are really down: physical presses and releases told apart from auto-repeat.

Why: on X11 a held key reaches the app as the server's auto-repeat, a release/press pair
every 30-40 ms, and Qt flags only some pairs as auto-repeat (it peeks for the press, which
has not always arrived). A release is real only if no press of the same key follows at the
same server time: so a release waits `PAIR_WINDOW_MS` before it counts, and a press that
arrives with the release's timestamp (or flagged) makes it part of a repeat pair.

Key events with no native key code (QTest's, or made by other software) come from no
keyboard and are left to the flag they carry: `current` is None for them, as for menus.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication

PAIR_WINDOW_MS = 60
"""How long a release waits for the press of its repeat pair. X sends both at once (same
timestamp); a person cannot press the same key again this fast."""
SAME_TIME_MS = 5
"""A press this close to the release (server time) is the other half of a repeat pair."""


@dataclass(frozen=True)
class Press:
    key: int
    repeat: bool
    """True when the key was already down: the platform's auto-repeat, flagged or not."""


class PhysicalKeys(QObject):
    """Watches the application's key events. `current` is the press being handled now
    (read it in a shortcut's handler); `released(key)` when a key is really let go;
    `keyboard_lost()` when the app loses the keyboard with keys down."""

    released = Signal(int)
    keyboard_lost = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.current: Press | None = None
        self._down: set[int] = set()
        self._pending: dict[int, tuple[int, QTimer]] = {}
        self._last: tuple[int, int] | None = None
        QApplication.instance().installEventFilter(self)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for _stamp, timer in self._pending.values():
            timer.stop()
        self._pending.clear()

    def is_down(self, key: int) -> bool:
        return key in self._down

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.ApplicationDeactivate:
            self._let_go_of_everything()
        elif not isinstance(event, QKeyEvent) or not _from_keyboard(event):
            pass
        elif kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            self._pressed(event)
        elif kind == QEvent.Type.KeyRelease and isinstance(watched, QWindow):
            self._released(event)  # once per event: windows see it first, widgets after
        return False

    def _pressed(self, event: QKeyEvent) -> None:
        key, stamp = event.key(), event.timestamp()
        if self._last == (key, stamp):
            return  # the same press, seen again (shortcut override, window, widget)
        self._last = (key, stamp)
        pending = self._pending.pop(key, None)
        if pending is not None:
            pending[1].stop()
            if event.isAutoRepeat() or abs(stamp - pending[0]) <= SAME_TIME_MS:
                self._set_current(Press(key, repeat=True))
                return
            self._let_go(key)  # a real release, then a real new press
        repeat = event.isAutoRepeat() or key in self._down
        self._down.add(key)
        self._set_current(Press(key, repeat=repeat))

    def _set_current(self, press: Press) -> None:
        """`current` holds while this event is handled (shortcuts fire inside it)."""
        self.current = press
        QTimer.singleShot(0, self, lambda: self._clear_current(press))

    def _clear_current(self, press: Press) -> None:
        if self.current is press:
            self.current = None

    def _released(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.isAutoRepeat() or key not in self._down or key in self._pending:
            return  # a flagged pair's release: its press follows
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._let_go(key))
        self._pending[key] = (event.timestamp(), timer)
        timer.start(PAIR_WINDOW_MS)

    def _let_go(self, key: int) -> None:
        pending = self._pending.pop(key, None)
        if pending is not None:
            pending[1].stop()
            pending[1].deleteLater()
        self._down.discard(key)
        self.released.emit(key)

    def _let_go_of_everything(self) -> None:
        """The app lost the keyboard: releases will go elsewhere, so nothing stays down,
        and no key counts as released (a key let go elsewhere decides nothing here)."""
        for _stamp, timer in self._pending.values():
            timer.stop()
            timer.deleteLater()
        self._pending.clear()
        self._down.clear()
        self.keyboard_lost.emit()


def _from_keyboard(event: QKeyEvent) -> bool:
    return bool(event.nativeScanCode() or event.nativeVirtualKey())
