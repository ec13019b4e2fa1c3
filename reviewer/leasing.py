"""Getting items onto the workstation: leases and their media, verified and encrypted.

Used by ReviewSession.fill on a worker thread: it leases more items (or keeps the
cached lease when offline), downloads each item's media, checks its hash and puts
it in the encrypted MediaVault. A media failure marks that item `broken` with a
reason a reviewer understands (through `on_broken`); it never stops the rest. It knows
nothing of the session that uses it. Never on the GUI thread.

Good manners: leasing and downloading each have a `RetrySchedule`, so an empty queue,
a dead server or a full disk is retried with backoff, never in a loop. A lease request
carries a request id kept until its reply is saved, so a retry after a lost reply gets
the same lease back from the server instead of stranding items.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from uuid import uuid4

from offline_cache.errors import VaultFull, VaultUnwritable
from offline_cache.records import CachedItem
from offline_cache.store import LocalStore
from offline_cache.vault import HashMismatch, MediaVault
from reviewer.api import ApiClient
from reviewer.backoff import RetrySchedule
from reviewer.connectivity import Connectivity
from reviewer.errors import (
    Forbidden,
    MediaRejected,
    ProtocolError,
    RequestRejected,
    ReviewerError,
    ServerUnavailable,
)
from reviewer.media_cache import DEFAULT_MEDIA_CAP_BYTES, tidy_media
from reviewer.net_errors import ServerBusy, retry_after_of
from reviewer.protocol import MAX_LEASE_ITEMS, Item, LeaseReply, display_media

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def short_reason(error: BaseException) -> str:
    """A few words for the status bar: "Server error", "Server busy", "Disk full: ..."."""
    if isinstance(error, ServerBusy):
        return "Server busy" if error.status in (429, 503) else "Server error"
    if isinstance(error, ServerUnavailable):
        return "Server unreachable"
    if isinstance(error, VaultFull):
        return "Disk full: image downloads paused"
    if isinstance(error, VaultUnwritable):
        return "Media cache folder cannot be written: image downloads paused"
    if isinstance(error, ReviewerError):
        return error.message.rstrip(".")
    return "Unexpected problem"


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
        self.lease_schedule = RetrySchedule()
        self.media_schedule = RetrySchedule()
        self.media_waiting = False
        """True while some undecided item's media is still to download."""
        self.media_cap_bytes = DEFAULT_MEDIA_CAP_BYTES
        """The media cache's size cap (the workstation sets it from its settings)."""
        self._request_id: str | None = None
        self.problem: str | None = None
        """The last refusal or failure, as a sentence (None once things work again)."""

    def lease_more(self, count: int) -> LeaseReply | None:
        """Ask the server for up to `count` more items; None when offline, refused,
        empty or not yet due (see `lease_schedule`)."""
        if self.api is None or not self.lease_schedule.due():
            return None
        request_id = self._request_id = self._request_id or str(uuid4())
        try:
            reply = self.api.lease(self.queue, min(count, MAX_LEASE_ITEMS),
                                   request_id=request_id)
        except ServerUnavailable as exc:
            self._connectivity.mark(False)
            self._failed(self.lease_schedule, exc)
            return None
        except (RequestRejected, Forbidden, ProtocolError) as exc:
            self._failed(self.lease_schedule, exc)
            return None
        self._connectivity.mark(True)
        if reply.items:
            self.store.save_lease(reply, username=self.username)
        self._request_id = None  # saved: the next lease is a new request
        self.problem = None
        if not reply.items:
            self.lease_schedule.empty("No items")
        elif len(reply.items) < count:
            self.lease_schedule.empty("No more items")
        else:
            self.lease_schedule.succeeded()
        if reply.items and self._on_lease:
            self._on_lease(reply)
        return reply

    def _failed(self, schedule: RetrySchedule, error: ReviewerError | VaultUnwritable) -> None:
        self.problem = error.message if isinstance(error, ReviewerError) else str(error)
        delay = schedule.failed(short_reason(error), retry_after_of(error))
        log.info("%s; next attempt in %.0f s", self.problem, delay)

    def retry_now(self) -> None:
        """The reviewer asked (F5): lease and download at the next fill."""
        self.lease_schedule.retry_now()
        self.media_schedule.retry_now()

    def fill_due(self, ready: int, min_ready: int) -> bool:
        """True when a fill now would lease or download (no backoff to wait out)."""
        return ((ready < min_ready and self.lease_schedule.due())
                or (self.media_waiting and self.media_schedule.due()))

    def waiting(self) -> str:
        """What is being waited for, in words ("" when nothing is)."""
        return self.lease_schedule.describe() or (
            self.media_schedule.describe() if self.media_waiting else "")

    def download_media(self, items: Sequence[CachedItem],
                       on_progress: Progress | None = None) -> None:
        """Fetch the shown media (the preview, else the original) of every undecided item
        not yet in the vault; stops (and backs off) when the server or the disk fails.
        Then the cache is tidied: media no longer needed goes, and it keeps under its cap."""
        self._download_all(items, on_progress)
        tidy_media(self.store, self.vault, self.username, items, cap_bytes=self.media_cap_bytes)

    def _download_all(self, items: Sequence[CachedItem], on_progress: Progress | None) -> None:
        todo = [c for c in items if c.state == "undecided" and self._needs_download(c.item)]
        total = len(todo)
        self.media_waiting = bool(todo)
        if not todo or not self.media_schedule.due():
            return
        if on_progress:
            on_progress(0, total)
        for done, cached in enumerate(todo, start=1):
            try:
                self._fetch(cached.item)
            except ServerUnavailable as exc:
                self._connectivity.mark(False)
                self._failed(self.media_schedule, exc)
                return  # the rest waits for the next fill
            except VaultUnwritable as exc:  # a full disk: stop prefetching until later
                self._failed(self.media_schedule, exc)
                return
            except MediaRejected as exc:
                self._on_broken(cached.item.id, exc.reason)
            if on_progress:
                on_progress(done, total)
        self.media_waiting = False
        self.media_schedule.succeeded()

    def _needs_download(self, item: Item) -> bool:
        shown = display_media(item)
        return shown is not None and not self._in_vault(shown.sha256)

    def _in_vault(self, sha256: str) -> bool:
        try:
            return bool(self.vault.has(sha256))
        except Exception:  # an unreadable vault entry counts as missing
            return False

    def _fetch(self, item: Item) -> bytes:
        """Download, verify and store one item's media; MediaRejected says why not,
        VaultUnwritable when the cache cannot keep it."""
        data = self._download(item)
        media = display_media(item)
        assert media is not None  # _download refuses an item without media
        try:
            self.vault.put(media.sha256, data)
        except HashMismatch as exc:
            raise MediaRejected("The downloaded file does not match its fingerprint.") from exc
        return data

    def _download(self, item: Item) -> bytes:
        """Download one item's media (the client verifies its hash), not stored."""
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
            data = self._download(cached.item)
        except MediaRejected as exc:
            self._on_broken(cached.item.id, exc.reason)
            raise
        try:
            self.vault.put(media.sha256, data)
        except VaultUnwritable as exc:  # shown from memory; the cache waits for room
            self._failed(self.media_schedule, exc)
        return data

    def _from_vault(self, sha256: str) -> bytes | None:
        try:
            return self.vault.get(sha256)
        except Exception:  # wrong key after a lost keyring, a damaged file: fetch again
            log.warning("cached media %s unreadable; fetching again", sha256[:12])
            return None
