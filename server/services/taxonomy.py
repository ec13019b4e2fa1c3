"""Queue taxonomies as sent to clients: the queue's own actions plus built-in `escalate`.

`skip` is accepted for every queue too but is not listed: the client binds it to S and
the server returns a skipped item to the queue instead of closing it.
"""

from __future__ import annotations

from typing import Any

from reviewer.protocol import BUILTIN_ACTIONS, ESCALATE, SKIP, Taxonomy, TaxonomyEntry
from server.models import Queue

__all__ = ["BUILTIN_ACTIONS", "DEFAULT_TAXONOMY", "ESCALATE", "SKIP", "wire_taxonomy"]

DEFAULT_TAXONOMY: dict[str, Any] = Taxonomy(
    actions=[
        TaxonomyEntry(id="approve", title="Approve", key="1"),
        TaxonomyEntry(id="remove", title="Remove", key="2"),
        TaxonomyEntry(id="age_restrict", title="Age-restrict", key="3"),
    ],
    labels=[],
).model_dump()


def wire_taxonomy(queue: Queue) -> Taxonomy:
    taxonomy = Taxonomy.model_validate(queue.taxonomy)
    if all(entry.id != ESCALATE for entry in taxonomy.actions):
        taxonomy.actions.append(TaxonomyEntry(id=ESCALATE, title="Escalate"))
    return taxonomy


def allowed_actions(queue: Queue) -> set[str]:
    return {entry["id"] for entry in queue.taxonomy.get("actions", [])} | set(BUILTIN_ACTIONS)


def allowed_labels(queue: Queue) -> set[str]:
    return {entry["id"] for entry in queue.taxonomy.get("labels", [])}
