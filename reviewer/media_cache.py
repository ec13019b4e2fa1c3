"""Keeping the media cache small: media of decided, synced items goes, except the last
few decisions' (undo and the history panel may show them again), and the vault stays
under a size cap (default 500 MB, the `media_cache_mb` setting).

Runs after each fill on the network worker; never on the GUI thread. A failure here
(a read-only folder) is logged and tried again at the next fill: it never stops review.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from offline_cache.errors import VaultError
from offline_cache.records import CachedItem
from offline_cache.store import LocalStore
from offline_cache.vault import MediaVault
from reviewer.protocol import Item, display_media

log = logging.getLogger(__name__)
DEFAULT_MEDIA_CAP_BYTES = 500 * 1024 * 1024
KEEP_RECENT_DECISIONS = 10
"""Decisions whose media stays cached for undo and the history panel."""
LOOK_BACK = 200
"""Decided items looked at per tidy: older ones went at earlier tidies (or by the cap)."""


def _shas(item: Item | None) -> set[str]:
    if item is None:
        return set()
    return {m.sha256 for m in (display_media(item), item.media) if m is not None}


def tidy_media(store: LocalStore, vault: MediaVault, username: str,
               undecided: Sequence[CachedItem], *, cap_bytes: int,
               keep_recent: int = KEEP_RECENT_DECISIONS) -> int:
    """Discard media of decided, synced items beyond the last `keep_recent` decisions,
    then evict least recently used media (never an undecided item's) down to
    `cap_bytes`; returns how many blobs went."""
    try:
        keep: set[str] = set()
        for cached in undecided:
            keep |= _shas(cached.item)
        drop: set[str] = set()
        for n, entry in enumerate(store.recent_decisions(username, limit=LOOK_BACK)):
            cached = store.cached_item(entry.decision.item_id)
            shas = _shas(cached.item if cached is not None else None)
            if n < keep_recent or entry.status == "pending":
                keep |= shas
            else:
                drop |= shas
        gone = 0
        for sha in drop - keep:
            if vault.has(sha):
                vault.discard(sha)
                gone += 1
        return gone + vault.evict(keep, cap_bytes)
    except (VaultError, OSError) as exc:
        log.warning("tidying the media cache failed: %s", exc)
        return 0
