"""What the protected view needs from whoever puts an item in front of a person.

`ui/protected` (the item view, the preparer, the reveal controller) is bound to this
protocol, not to a review session, so the reviewer's window and the QA lead's replay
show content through the same code: the item's media bytes, the protection policy in
force for the person looking, and the exposure gate that lets a reveal start only within
that person's budget and records each one in their ledger.
"""

from __future__ import annotations

from typing import Protocol

from reviewer.protocol import ExposureEntry, RevealMode, WellnessPolicy
from wellness.exposure import RevealDecision


class ProtectedContent(Protocol):
    """Implemented by `ReviewSession` (a reviewer) and the QA replay (a QA lead)."""

    @property
    def policy(self) -> WellnessPolicy:
        """The effective protection and exposure policy of the person looking."""
        ...

    def media_bytes(self, item_id: str) -> bytes:
        """[W] The decrypted media shown for an item; `MediaRejected` says why not."""
        ...

    def reveal_start(self, mode: RevealMode = "hold", area: float | None = None
                     ) -> RevealDecision:
        """[G] Ask to show the item on screen unprotected: allowed only within budget;
        `area` is the share a region reveal shows (mode "region")."""
        ...

    def reveal_end(self) -> ExposureEntry | None:
        """[G] The reveal is over: record its duration (None when nothing was revealed)."""
        ...
