"""What happened to each of a reviewer's recent decisions, in words the history shows.

The outbox knows whether the server answered; the session knows what is on the wire
right now and which synced decisions were undone and wait for their replacement; a
decision's replacement names it in `supersedes`. Put together, each row reads as one
state: waiting, sending, accepted, late, rejected (with the server's reason), undone, or
replaced by a later decision.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Sequence
from dataclasses import dataclass
from uuid import UUID

from offline_cache.records import OutboxEntry
from reviewer.protocol import Decision


@dataclass(frozen=True)
class HistoryRow:
    entry: OutboxEntry
    state: str
    """pending | sending | accepted | duplicate | late | rejected | undone | replaced"""
    replaced_by: Decision | None = None

    @property
    def decision(self) -> Decision:
        return self.entry.decision

    def describe(self) -> str:
        """The state as the history panel writes it."""
        if self.state == "replaced" and self.replaced_by is not None:
            return f"replaced by {self.replaced_by.action}"
        if self.state == "rejected":
            return f"rejected: {self.entry.reason or 'no reason given'}"
        if self.state == "undone":
            return "undone: your next decision on it replaces it"
        if self.state == "duplicate":
            return "accepted"  # the server had it already: the same outcome
        if self.state == "late":
            return "late: recorded, but the lease had run out"
        return {"pending": "waiting to sync", "sending": "sending"}.get(self.state, self.state)


def history_rows(entries: Sequence[OutboxEntry], *, in_flight: Container[UUID],
                 undone: Collection[UUID]) -> list[HistoryRow]:
    """Rows for `entries` (newest first), knowing what is being sent and what was undone."""
    replacing = {e.decision.supersedes: e.decision for e in entries
                 if e.decision.supersedes is not None}
    rows = []
    for entry in entries:
        decision_id = entry.decision.decision_id
        state: str = entry.status
        replacement = replacing.get(decision_id)
        if replacement is not None and entry.status != "rejected":
            state = "replaced"
        elif decision_id in undone:
            state = "undone"
        elif entry.status == "pending" and decision_id in in_flight:
            state = "sending"
        rows.append(HistoryRow(entry=entry, state=state, replaced_by=replacement))
    return rows
