"""The local disk refusing work, as the core's errors: the UI reads these sentences
without knowing the store (ui never imports offline_cache).

`StoreFull` on a decision becomes `LocalSaveFailed` (a ReviewerError, so the decision
key says why and keeps working); `storage_message` gives the sentence of any store or
vault error for the one place that explains errors (ui/errors.py).
"""

from __future__ import annotations

from offline_cache.errors import StoreError, VaultError, VaultFull, VaultUnwritable
from reviewer.errors import ReviewerError

__all__ = ["LocalSaveFailed", "StoreError", "VaultFull", "VaultUnwritable",
           "storage_message"]


class LocalSaveFailed(ReviewerError):
    """The local store refused a write (a full disk); nothing was half-saved."""


def storage_message(error: BaseException) -> str | None:
    """The sentence of a local store or media cache error; None for anything else."""
    if isinstance(error, StoreError | VaultError):
        return str(error)
    return None
