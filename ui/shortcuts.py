"""The one shortcut table: every command the reviewer can give, with its key and menu.

QActions, menus, the on-screen legend, the context panel's label chips and the F1 help
are all built from `CommandTable`, so a key is written down once (in
resources/shortcuts.json, or in the queue's taxonomy for its decision and label keys
1-9) and can never disagree between places. A person's own keys (`overrides`, saved per
user by `ui.key_settings`) are applied on top, by command id: the taxonomy's commands
are "decide:<action id>" and "label:<label id>", so a remap of the action on key 2
follows the action when the server reorders the taxonomy. No widgets are built here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from PySide6.QtGui import QKeySequence

from reviewer.protocol import Taxonomy, TaxonomyEntry

DECIDE_PREFIX = "decide:"
LABEL_PREFIX = "label:"
LABELS_MENU = "Labels"
_TABLE_FILE = "shortcuts.json"


@dataclass(frozen=True)
class Command:
    """One thing the reviewer can do: `decides` names the decision action it records, if
    any; `toggles` names the taxonomy label it chooses or unchooses for the current item
    (a label toggle is never a decision)."""

    id: str
    title: str
    key: str | None
    menu: str
    decides: str | None = None
    toggles: str | None = None


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

    def labels(self) -> list[Command]:
        return [c for c in self.commands if c.toggles is not None]

    def holder_of(self, key: str | None, *, besides: str | None = None) -> Command | None:
        """The command bound to `key` (other than `besides`), if any."""
        wanted = normalize_key(key)
        if not wanted:
            return None
        return next((c for c in self.commands
                     if c.id != besides and normalize_key(c.key) == wanted), None)


def normalize_key(key: str | None) -> str:
    """One spelling per key ("ctrl+z" and "Ctrl+Z" are the same key); "" for none."""
    if not key:
        return ""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def with_overrides(table: CommandTable, overrides: Mapping[str, str | None]) -> CommandTable:
    """The table with a person's own keys: an override ("" unbinds) wins, and a command
    whose default key a person gave to another command loses it (shown unbound)."""
    known = {c.id for c in table}
    mine = {cid: normalize_key(key) for cid, key in overrides.items() if cid in known}
    taken = {key for key in mine.values() if key}
    commands = []
    for command in table:
        if command.id in mine:
            key = mine[command.id] or None
        else:
            key = None if normalize_key(command.key) in taken else command.key
        commands.append(replace(command, key=key))
    return CommandTable(commands=tuple(commands), menus=table.menus)


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


def build_table(taxonomy: Taxonomy | None, path: Path | None = None,
                overrides: Mapping[str, str | None] | None = None) -> CommandTable:
    """The queue's decision actions, then its labels, in front of the default commands.

    Taxonomy actions that a default command already records (`escalate`, `skip`) keep the
    default's key (E, S) instead of appearing twice; a taxonomy key that is already bound
    leaves its entry without a key (still in the menu) rather than binding it twice.
    """
    defaults, menus = load_defaults(path)
    covered = {c.decides for c in defaults if c.decides}
    taken = {c.key for c in defaults if c.key}
    actions = [a for a in (taxonomy.actions if taxonomy else []) if a.id not in covered]
    decide = _queue_commands(actions, taken, DECIDE_PREFIX, "Decide", "decides")
    taken |= {c.key for c in decide if c.key}
    labels = _queue_commands(taxonomy.labels if taxonomy else [], taken, LABEL_PREFIX,
                             LABELS_MENU, "toggles")
    if labels and LABELS_MENU not in menus:
        menus.insert(min(2, len(menus)), LABELS_MENU)
    table = CommandTable(commands=tuple(decide + labels + defaults), menus=tuple(menus))
    return with_overrides(table, overrides) if overrides else table


def _queue_commands(entries: list[TaxonomyEntry], taken: set[str], prefix: str, menu: str,
                    field: str) -> list[Command]:
    """Commands for taxonomy entries, sorted by key (unbound ones last)."""
    commands = [
        Command(id=prefix + entry.id, title=entry.title,
                key=entry.key if entry.key not in taken else None, menu=menu,
                **{field: entry.id})
        for entry in entries
    ]
    commands.sort(key=lambda c: (c.key is None, c.key or "", c.title))
    return commands
