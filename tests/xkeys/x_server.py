"""A private Xvfb for the real-keyboard tests: a free display, auto-repeat on as on a
desktop, XTEST for the key driver. Why not synthetic Qt events: a held key on X11 reaches
the app as the X server's auto-repeat (press/release pairs that Qt flags only in part),
and only a real X server produces that.

Everything it starts it stops: `XServer.stop()` ends Xvfb and waits for it.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPEAT_DELAY_MS = 500
REPEAT_INTERVAL_MS = 30
"""A common desktop setting (GNOME's defaults): repeats start after half a second, then
about 33 a second."""
SCREEN = "1280x800x24"


def why_no_x_server() -> str | None:
    """Why the real-keyboard tests cannot run here, or None when they can."""
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (Debian: apt-get install xvfb; .ci/x11-tools does it)"
    try:
        import Xlib.ext.xtest  # noqa: F401
    except ImportError:
        return "python-xlib is missing (pip install -e '.[test]')"
    missing = _missing_qt_xcb_libraries()
    if missing:
        return ("Qt's xcb platform cannot load, missing: " + ", ".join(missing)
                + " (.ci/x11-tools installs them)")
    return None


def _missing_qt_xcb_libraries() -> list[str]:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    libraries = [qt / "plugins" / "platforms" / "libqxcb.so", *qt.glob("lib/libQt6XcbQpa.so*")]
    missing: set[str] = set()
    for library in libraries:
        if not library.exists() or shutil.which("ldd") is None:
            continue
        linked = subprocess.run(["ldd", str(library)], capture_output=True, text=True).stdout
        missing |= {line.split()[0] for line in linked.splitlines() if "not found" in line}
    return sorted(missing)


@dataclass
class XServer:
    """A running Xvfb: `display` is its name (":N"), `env` the environment for a Qt
    child on it."""

    process: subprocess.Popen[bytes]
    display: str
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_x_server(timeout: float = 20.0) -> XServer:
    """Start Xvfb on a display it picks itself (-displayfd: no race for a free number)."""
    read_end, write_end = os.pipe()
    command = ["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten",
               "tcp", "-ardelay", str(REPEAT_DELAY_MS), "-arinterval",
               str(REPEAT_INTERVAL_MS), "r", "-noreset"]
    process = subprocess.Popen(command, pass_fds=(write_end,), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write_end)
    try:
        number = _read_display_number(read_end, timeout)
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise
    finally:
        os.close(read_end)
    display = f":{number}"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    server = XServer(process, display, env)
    try:
        _turn_auto_repeat_on(display)
    except BaseException:
        server.stop()
        raise
    return server


def _read_display_number(fd: int, timeout: float) -> int:
    seen = b""
    while not seen.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise RuntimeError(f"Xvfb did not report its display within {timeout} s")
        chunk = os.read(fd, 64)
        if not chunk:
            raise RuntimeError("Xvfb exited before reporting its display")
        seen += chunk
    return int(seen.strip())


def _turn_auto_repeat_on(display: str) -> None:
    """Global auto-repeat on, and check it (a server started with it off would make the
    held-key tests pass for the wrong reason)."""
    from Xlib import X
    from Xlib.display import Display

    connection = Display(display)
    try:
        connection.change_keyboard_control(auto_repeat_mode=X.AutoRepeatModeOn)
        connection.sync()
        if connection.get_keyboard_control().global_auto_repeat != X.AutoRepeatModeOn:
            raise RuntimeError(f"auto-repeat stays off on {display}")
    finally:
        connection.close()
