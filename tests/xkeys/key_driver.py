"""A person's keyboard, through XTEST: press, hold (the X server auto-repeats while the
key is down, as it does for a real key), release, and quick separate presses.

Keys are written as in the shortcut table: "1", "E", "Space", "Esc", "Ctrl+Z".
"""

from __future__ import annotations

import time

from Xlib import XK, X
from Xlib.display import Display
from Xlib.ext import xtest

_KEYSYMS = {"Space": "space", "Esc": "Escape", "Ctrl": "Control_L", "Shift": "Shift_L",
            "Alt": "Alt_L", "Enter": "Return"}
TAP_SECONDS = 0.05
"""How long a quick press keeps the key down: well under the auto-repeat delay."""


class KeyDriver:
    def __init__(self, display: str) -> None:
        self.connection = Display(display)
        if not self.connection.has_extension("XTEST"):
            raise RuntimeError(f"{display} has no XTEST extension")

    def close(self) -> None:
        self.connection.close()

    def keycode(self, key: str) -> int:
        name = _KEYSYMS.get(key, key.lower() if len(key) == 1 else key)
        keysym = XK.string_to_keysym(name)
        code = self.connection.keysym_to_keycode(keysym) if keysym else 0
        if not code:
            raise ValueError(f"no key for {key!r} on this display")
        return code

    def _send(self, event: int, key: str) -> None:
        xtest.fake_input(self.connection, event, self.keycode(key))
        self.connection.sync()  # the server has it before we go on

    def press(self, combination: str) -> None:
        """Press every key of "Ctrl+Z" in order and leave them down."""
        for key in combination.split("+"):
            self._send(X.KeyPress, key)

    def release(self, combination: str) -> None:
        for key in reversed(combination.split("+")):
            self._send(X.KeyRelease, key)

    def hold(self, combination: str, seconds: float) -> None:
        """Keep the keys down for `seconds`: the X server auto-repeats the last one."""
        self.press(combination)
        time.sleep(seconds)
        self.release(combination)

    def tap(self, combination: str) -> None:
        self.press(combination)
        time.sleep(TAP_SECONDS)
        self.release(combination)

    def tap_each(self, combinations: list[str], gap: float = 0.3) -> None:
        """Quick separate presses, `gap` seconds apart, as a person types them."""
        for index, combination in enumerate(combinations):
            if index:
                time.sleep(gap)
            self.tap(combination)

    def focus(self, window_id: int) -> None:
        """Give `window_id` the keyboard focus and the pointer (there is no window
        manager on Xvfb to do it)."""
        window = self.connection.create_resource_object("window", window_id)
        window.warp_pointer(10, 10)
        window.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.connection.sync()
