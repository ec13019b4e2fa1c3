"""Getting items onto the workstation: leases and their media, verified and encrypted.

Used by ReviewSession.fill on a worker thread: it leases more items (or keeps the
cached lease when offline), downloads each item's media, checks its hash and puts
it in the encrypted MediaVault. A media failure marks that item `broken` with a
reason a reviewer understands; it never stops the rest. Never on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from reviewer.api import ApiClient
from reviewer.errors import (
    Forbidden,
    MediaRejected,
    ProtocolError,
    RequestRejected,
    ServerUnavailable,
)
from reviewer.protocol import MAX_LEASE_ITEMS, Taxonomy, TaxonomyEntry, display_media

log = logging.getLogger(__name__)


def with_builtin_actions(taxonomy: Taxonomy) -> Taxonomy:
    """The taxonomy with `escalate` present (the server adds it to leases; a taxonomy
    from the cached policy may lack it). `skip` is a command, not a taxonomy action."""
    if any(a.id == "escalate" for a in taxonomy.actions):
        return taxonomy
    actions = [*taxonomy.actions, TaxonomyEntry(id="escalate", title="Escalate")]
    return taxonomy.model_copy(update={"actions": actions})


class LeaseKeeper:
    """Leases and media for one ReviewSession."""

    def __init__(self, session, store, vault, api: ApiClient | None,
                 on_lease: Callable[[object], None] | None = None) -> None:
        self.session = session
        self.store = store
        self.vault = vault
        self.api = api
        self.on_lease = on_lease

    def _mark_online(self, online: bool) -> None:
        self.session._connectivity.mark(online)

    def lease_more(self, count: int) -> bool:
        """Ask the server for up to `count` more items; False when offline."""
        if self.api is None:
            return False
        try:
            reply = self.api.lease(self.session.queue, min(count, MAX_LEASE_ITEMS))
        except ServerUnavailable:
            self._mark_online(False)
            return False
        self._mark_online(True)
        self.store.save_lease(reply, username=self.session.username)
        self.session.taxonomy = with_builtin_actions(reply.taxonomy)
        if self.on_lease:
            self.on_lease(reply)
        return True

    def download_media(self, items: list,
                       on_progress: Callable[[int, int], None] | None = None) -> None:
        """Fetch the shown media (the preview, else the original) of every undecided item
        not yet in the vault."""
        todo = [c for c in items if c.state == "undecided" and self._needs_download(c.item)]
        total = len(todo)
        if on_progress:
            on_progress(0, total)
        for done, cached in enumerate(todo, start=1):
            try:
                self._fetch(cached)
            except ServerUnavailable:
                self._mark_online(False)
                return  # the rest waits for the next fill
            except MediaRejected as exc:
                self.session.mark_broken(cached.item.id, exc.reason)
            if on_progress:
                on_progress(done, total)

    def _needs_download(self, item) -> bool:
        shown = display_media(item)
        return shown is not None and not self._in_vault(shown.sha256)

    def _in_vault(self, sha256: str) -> bool:
        try:
            return bool(self.vault.has(sha256))
        except Exception:  # an unreadable vault entry counts as missing
            return False

    def _fetch(self, cached) -> bytes:
        """Download, verify and store one item's media; MediaRejected says why not."""
        from offline_cache.vault import HashMismatch

        media = display_media(cached.item)
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
        self._mark_online(True)
        return data

    def media_for(self, cached) -> bytes:
        """The decrypted bytes of an item's media, downloading them if needed."""
        media = display_media(cached.item)
        if media is None:
            raise MediaRejected("This item has no media to show.")
        data = self._from_vault(media.sha256)
        if data is not None:
            return data
        try:
            return self._fetch(cached)
        except MediaRejected as exc:
            self.session.mark_broken(cached.item.id, exc.reason)
            raise

    def _from_vault(self, sha256: str) -> bytes | None:
        try:
            return self.vault.get(sha256)
        except Exception:  # wrong key after a lost keyring, a damaged file: fetch again
            log.warning("cached media %s unreadable; fetching again", sha256[:12])
            return None
