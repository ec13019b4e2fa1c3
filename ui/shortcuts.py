"""The one shortcut table: every command the reviewer can give, with its key and menu.

QActions, menus, the on-screen legend and the F1 help are all built from `CommandTable`,
so a key is written down once (in resources/shortcuts.json, or in the queue's taxonomy
for decision keys 1-9) and can never disagree between places. No widgets are built here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reviewer.protocol import Taxonomy

DECIDE_PREFIX = "decide:"
_TABLE_FILE = "shortcuts.json"


@dataclass(frozen=True)
class Command:
    """One thing the reviewer can do: `decides` names the decision action it records, if any."""

    id: str
    title: str
    key: str | None
    menu: str
    decides: str | None = None


@dataclass(frozen=True)
class CommandTable:
    """The ordered commands and the order of their menus."""

    commands: tuple[Command, ...]
    menus: tuple[str, ...]

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)

    def by_id(self, command_id: str) -> Command:
        for command in self.commands:
            if command.id == command_id:
                return command
        raise KeyError(command_id)

    def in_menu(self, menu: str) -> list[Command]:
        return [c for c in self.commands if c.menu == menu]

    def decisions(self) -> list[Command]:
        return [c for c in self.commands if c.decides is not None]


def load_defaults(path: Path | None = None) -> tuple[list[Command], list[str]]:
    """Read the default commands (everything except the queue's own decision keys)."""
    if path is None:
        text = resources.files("resources").joinpath(_TABLE_FILE).read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    raw = json.loads(text)
    commands = [
        Command(
            id=entry["id"],
            title=entry["title"],
            key=entry.get("key"),
            menu=entry["menu"],
            decides=entry.get("decides"),
        )
        for entry in raw["commands"]
    ]
    return commands, list(raw["menus"])


def build_table(taxonomy: Taxonomy | None, path: Path | None = None) -> CommandTable:
    """Merge the queue's decision actions (keys 1-9) in front of the default commands.

    Taxonomy actions that a default command already records (`escalate`, `skip`) keep the
    default's key (E, S) instead of appearing twice.
    """
    defaults, menus = load_defaults(path)
    covered = {c.decides for c in defaults if c.decides}
    taken = {c.key for c in defaults if c.key}
    queue_commands = []
    for action in taxonomy.actions if taxonomy else []:
        if action.id in covered:
            continue
        key = action.key if action.key not in taken else None
        queue_commands.append(
            Command(
                id=DECIDE_PREFIX + action.id,
                title=action.title,
                key=key,
                menu="Decide",
                decides=action.id,
            )
        )
    queue_commands.sort(key=lambda c: (c.key is None, c.key or "", c.title))
    return CommandTable(commands=tuple(queue_commands + defaults), menus=tuple(menus))
