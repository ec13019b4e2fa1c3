"""What the built-in actions mean on the workstation: the one place that knows.

`escalate` and `skip` are named in `reviewer.protocol` (the server knows them too); here
is what the client makes of them: which taxonomy they join, which state the cached item
takes, which of them still work on an item that cannot be displayed, and which of them
judges nothing (so it carries no labels).
"""

from __future__ import annotations

from collections.abc import Sequence

from offline_cache.records import ItemState
from reviewer.errors import InvalidAction
from reviewer.protocol import BUILTIN_ACTIONS, ESCALATE, SKIP, Taxonomy, TaxonomyEntry

__all__ = ["BUILTIN_ACTIONS", "ESCALATE", "SKIP", "UNBLIND_ACTIONS", "carries_labels",
           "check_decision", "item_state_after", "with_builtin_actions"]

UNBLIND_ACTIONS: tuple[str, ...] = BUILTIN_ACTIONS
"""Decisions possible on an item whose content cannot be shown: neither judges it."""


def with_builtin_actions(taxonomy: Taxonomy) -> Taxonomy:
    """The taxonomy with `escalate` present (the server adds it to leases; a taxonomy
    from the cached policy may lack it). `skip` is a command, not a taxonomy action."""
    if any(a.id == ESCALATE for a in taxonomy.actions):
        return taxonomy
    actions = [*taxonomy.actions, TaxonomyEntry(id=ESCALATE, title="Escalate")]
    return taxonomy.model_copy(update={"actions": actions})


def carries_labels(action: str) -> bool:
    """A skip hands the item back: it judges nothing, so it records no labels."""
    return action != SKIP


def item_state_after(action: str) -> ItemState:
    """The cached item's state once `action` is recorded: a skip hands it back."""
    return "skipped" if action == SKIP else "decided"


def check_decision(taxonomy: Taxonomy, action: str, labels: Sequence[str]) -> None:
    """InvalidAction unless `action` is the queue's or built in and every label is its."""
    if action not in {a.id for a in taxonomy.actions} | set(BUILTIN_ACTIONS):
        raise InvalidAction(f"“{action}” is not an action of this queue.")
    known_labels = {label.id for label in taxonomy.labels}
    unknown = [label for label in labels if label not in known_labels]
    if unknown:
        raise InvalidAction(f"“{unknown[0]}” is not a label of this queue.")
