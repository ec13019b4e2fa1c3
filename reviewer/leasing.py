"""Getting items onto the workstation: leases and their media, verified and encrypted.

Used by ReviewSession.fill on a worker thread: it leases more items (or keeps the
cached lease when offline), downloads each item's media, checks its hash and puts
it in the encrypted MediaVault. A media failure marks that item `broken` with a
reason a reviewer understands (through `on_broken`); it never stops the rest. It knows
nothing of the session that uses it. Never on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from offline_cache.records import CachedItem
from offline_cache.store import LocalStore
from offline_cache.vault import HashMismatch, MediaVault
from reviewer.api import ApiClient
from reviewer.connectivity import Connectivity
from reviewer.errors import (
    Forbidden,
    MediaRejected,
    ProtocolError,
    RequestRejected,
    ServerUnavailable,
)
from reviewer.protocol import MAX_LEASE_ITEMS, Item, LeaseReply, display_media

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class LeaseKeeper:
    """Leases and media of one reviewer on one queue."""

    def __init__(self, *, queue: str, username: str, store: LocalStore, vault: MediaVault,
                 api: ApiClient | None, connectivity: Connectivity,
                 on_broken: Callable[[str, str], None],
                 on_lease: Callable[[LeaseReply], None] | None = None) -> None:
        self.queue, self.username = queue, username
        self.store, self.vault, self.api = store, vault, api
        self._connectivity = connectivity
        self._on_broken = on_broken
        self._on_lease = on_lease

    def lease_more(self, count: int) -> LeaseReply | None:
        """Ask the server for up to `count` more items; None when offline."""
        if self.api is None:
            return None
        try:
            reply = self.api.lease(self.queue, min(count, MAX_LEASE_ITEMS))
        except ServerUnavailable:
            self._connectivity.mark(False)
            return None
        self._connectivity.mark(True)
        self.store.save_lease(reply, username=self.username)
        if self._on_lease:
            self._on_lease(reply)
        return reply

    def download_media(self, items: Sequence[CachedItem],
                       on_progress: Progress | None = None) -> None:
        """Fetch the shown media (the preview, else the original) of every undecided item
        not yet in the vault."""
        todo = [c for c in items if c.state == "undecided" and self._needs_download(c.item)]
        total = len(todo)
        if on_progress:
            on_progress(0, total)
        for done, cached in enumerate(todo, start=1):
            try:
                self._fetch(cached.item)
            except ServerUnavailable:
                self._connectivity.mark(False)
                return  # the rest waits for the next fill
            except MediaRejected as exc:
                self._on_broken(cached.item.id, exc.reason)
            if on_progress:
                on_progress(done, total)

    def _needs_download(self, item: Item) -> bool:
        shown = display_media(item)
        return shown is not None and not self._in_vault(shown.sha256)

    def _in_vault(self, sha256: str) -> bool:
        try:
            return bool(self.vault.has(sha256))
        except Exception:  # an unreadable vault entry counts as missing
            return False

    def _fetch(self, item: Item) -> bytes:
        """Download, verify and store one item's media; MediaRejected says why not."""
        media = display_media(item)
        if media is None:
            raise MediaRejected("This item has no media to show.")
        if self.api is None:
            raise ServerUnavailable()
        try:
            data = self.api.media(media.sha256, media.mime, max_bytes=max(media.bytes, 1))
        except (RequestRejected, Forbidden) as exc:
            raise MediaRejected(f"The server refused this item's media: {exc.message}") from exc
        except ProtocolError as exc:
            raise MediaRejected("The item's media could not be downloaded intact.") from exc
        try:
            self.vault.put(media.sha256, data)
        except HashMismatch as exc:
            raise MediaRejected("The downloaded file does not match its fingerprint.") from exc
        self._connectivity.mark(True)
        return data

    def media_for(self, cached: CachedItem) -> bytes:
        """The decrypted bytes of an item's media, downloading them if needed."""
        media = display_media(cached.item)
        if media is None:
            raise MediaRejected("This item has no media to show.")
        data = self._from_vault(media.sha256)
        if data is not None:
            return data
        try:
            return self._fetch(cached.item)
        except MediaRejected as exc:
            self._on_broken(cached.item.id, exc.reason)
            raise

    def _from_vault(self, sha256: str) -> bytes | None:
        try:
            return self.vault.get(sha256)
        except Exception:  # wrong key after a lost keyring, a damaged file: fetch again
            log.warning("cached media %s unreadable; fetching again", sha256[:12])
            return None
