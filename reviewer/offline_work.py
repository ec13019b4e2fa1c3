"""Work that goes on while the server is away, as the Workstation offers it: the queues
cached on this computer, the media cache's size cap, batches taken offline on purpose,
and handing leases back when the app quits. A mixin of `reviewer.workstation.Workstation`
(it uses its store, API client, user and sync engine); kept apart so each file has one job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.lease_release import RELEASE_TIMEOUT_S, release_leases
from reviewer.media_cache import DEFAULT_MEDIA_CAP_BYTES
from reviewer.offline_batch import (
    DEFAULT_OFFLINE_ITEMS,
    OfflineBatch,
    offline_lease_ids,
    take_batch_offline,
)
from reviewer.protocol import QueuePublic

if TYPE_CHECKING:
    from offline_cache.store import LocalStore
    from reviewer.api import ApiClient
    from reviewer.sync import SyncEngine

MEDIA_CACHE_MB_KEY = "media_cache_mb"
"""The media cache's size cap in MB (a setting of the local store; default 500)."""


class OfflineWork:
    store: LocalStore
    api: ApiClient | None
    username: str | None
    _engine: SyncEngine | None

    def _require_api(self) -> ApiClient: ...  # provided by Workstation

    def sync_engine(self) -> SyncEngine: ...  # provided by Workstation

    def cached_queues(self) -> list[QueuePublic]:
        """Offline: the queues with items leased and cached on this computer (their
        `pending` counts those items), so work can start while the server is away."""
        if self.username is None:
            return []
        pending: dict[str, int] = {}
        for lease in self.store.open_leases(None, self.username):
            pending.setdefault(lease.queue, 0)
        for queue in pending:
            pending[queue] = len(self.store.undecided_items(queue, self.username))
        return [QueuePublic(name=name, title=name, pending=count, sensitivity=0)
                for name, count in sorted(pending.items()) if count]

    def media_cap_bytes(self) -> int:
        """The media cache's size cap (`media_cache_mb`, default 500 MB)."""
        value = self.store.get_setting(MEDIA_CACHE_MB_KEY)
        try:
            megabytes = int(value) if value else 0
        except ValueError:
            megabytes = 0
        return megabytes * 1024 * 1024 if megabytes > 0 else DEFAULT_MEDIA_CAP_BYTES

    def release_leases(self, timeout: float = RELEASE_TIMEOUT_S) -> list[str]:
        """On quit: send the outbox, then hand the unstarted items of this reviewer's
        leases back to the server (network; at most `timeout` seconds). Leases taken
        offline on purpose are kept. Returns the released lease ids."""
        if self.api is None or self.username is None or self.api.token is None:
            return []
        engine = self._engine
        return release_leases(self.store, self.api, self.username,
                              keep=self.offline_leases(), timeout=timeout,
                              sync=engine.sync_once if engine is not None else None)

    def offline_leases(self) -> set[str]:
        """Leases the reviewer took offline on purpose (kept on quit)."""
        return offline_lease_ids(self.store)

    def take_batch_offline(self, queue: str, count: int = DEFAULT_OFFLINE_ITEMS
                           ) -> OfflineBatch:
        """Lease a larger batch with a longer lease for a planned outage (network); its
        leases are kept on quit and renewed by the sync like any other."""
        api = self._require_api()
        engine = self.sync_engine()
        engine.watch_queue(queue)
        return take_batch_offline(self.store, api, self.username, queue, count,
                                  on_lease=engine.note_lease)
