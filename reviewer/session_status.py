"""What the review window's status bar shows about a session: online, waiting to sync,
lease time left, items left. Reads the local store: call it on the store worker."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from offline_cache.store import LocalStore
from reviewer.clock import as_utc, utc_now
from reviewer.connectivity import Connectivity


@dataclass(frozen=True)
class SessionStatus:
    online: bool
    pending_sync: int
    lease_seconds_left: int | None
    items_left: int


def session_status(store: LocalStore, queue: str, username: str, connectivity: Connectivity,
                   lease_ids: Collection[str], items_left: int) -> SessionStatus:
    """The status of a session whose items hold `lease_ids`: the soonest expiry counts."""
    expiries = [as_utc(lease.expires_at) for lease in store.open_leases(queue, username)
                if lease.lease_id in lease_ids]
    seconds = (max(0, int((min(expiries) - utc_now()).total_seconds()))
               if expiries else None)
    return SessionStatus(online=connectivity.online,
                         pending_sync=store.outbox_count_pending(username=username),
                         lease_seconds_left=seconds, items_left=items_left)
