"""A person's own keyboard shortcuts, saved per user with QSettings (the platform's place
for application settings: an INI file under ~/.config on Linux).

Only the keys that differ from the defaults are saved, by command id; `ui.shortcuts`
applies them when it builds the table. Reading and writing is a small local file:
cheap enough for the GUI thread when a window opens or the settings dialog closes.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSettings

ORGANIZATION = "ReviewerWorkstation"
APPLICATION = "shortcuts"


def _settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANIZATION, APPLICATION)


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
