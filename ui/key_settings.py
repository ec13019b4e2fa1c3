"""A person's own keyboard shortcuts (and whether they have seen the first-run list of
keys), saved per user with QSettings in an INI file in the platform's configuration
folder (platformdirs: ~/.config/reviewer-workstation on Linux), looked up on every use so
a changed home (tests, a second account) is honoured.

Only the keys that differ from the defaults are saved, by command id; `ui.shortcuts`
applies them when it builds the table. Reading and writing is a small local file:
cheap enough for the GUI thread when a window opens or the settings dialog closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

APP_DIR = "reviewer-workstation"
FILE_NAME = "keyboard.ini"


def _settings() -> QSettings:
    path = Path(platformdirs.user_config_dir(APP_DIR)) / FILE_NAME
    return QSettings(str(path), QSettings.Format.IniFormat)


def _group(username: str) -> str:
    return f"user-{username}"


def load_overrides(username: str | None) -> dict[str, str]:
    """The keys `username` chose ("" means: no key), by command id."""
    if not username:
        return {}
    settings = _settings()
    settings.beginGroup(_group(username))
    try:
        return {cid: str(settings.value(cid, "") or "") for cid in settings.childKeys()}
    finally:
        settings.endGroup()


def save_overrides(username: str, overrides: Mapping[str, str]) -> None:
    """Replace `username`'s saved keys with `overrides` (empty: back to the defaults)."""
    settings = _settings()
    settings.beginGroup(_group(username))
    settings.remove("")
    for command_id, key in overrides.items():
        settings.setValue(command_id, key)
    settings.endGroup()
    settings.sync()


def first_run_done(username: str | None) -> bool:
    """True once `username` has seen (and dismissed) the first-run list of keys."""
    if not username:
        return True
    return bool(_settings().value(f"{_group(username)}-seen/first_run", False, type=bool))


def mark_first_run_done(username: str) -> None:
    settings = _settings()
    settings.setValue(f"{_group(username)}-seen/first_run", True)
    settings.sync()
