"""Taking a batch offline on purpose: before a planned outage or travel, lease a larger
batch with a longer lease (both bounded by the server), and remember those leases so
quitting does not hand them back.

Network and store work: call on a worker, never on the GUI thread. The batch's media is
downloaded by the review session's next fill, like any leased item's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from offline_cache.store import LocalStore
from reviewer.api import ApiClient
from reviewer.errors import RequestRejected, ServerUnavailable
from reviewer.protocol import MAX_LEASE_ITEMS, LeaseReply

OFFLINE_LEASES_KEY = "offline_leases"
DEFAULT_OFFLINE_ITEMS = 300


@dataclass(frozen=True)
class OfflineBatch:
    """What was taken: how many items, in which leases, until when."""

    items: int
    lease_ids: list[str]
    expires_at: datetime | None


def offline_lease_ids(store: LocalStore) -> set[str]:
    """Leases taken offline on purpose that are still cached."""
    raw = store.get_setting(OFFLINE_LEASES_KEY)
    try:
        ids = set(json.loads(raw)) if raw else set()
    except (ValueError, TypeError):
        ids = set()
    return {str(i) for i in ids}


def _remember(store: LocalStore, username: str, lease_id: str) -> None:
    held = {lease.lease_id for lease in store.open_leases(None, username)}
    ids = (offline_lease_ids(store) & held) | {lease_id}
    store.set_setting(OFFLINE_LEASES_KEY, json.dumps(sorted(ids)))


def take_batch_offline(store: LocalStore, api: ApiClient, username: str, queue: str,
                       count: int = DEFAULT_OFFLINE_ITEMS,
                       on_lease: Callable[[LeaseReply], None] | None = None
                       ) -> OfflineBatch:
    """Lease up to `count` items of `queue` in leases of at most MAX_LEASE_ITEMS, each
    request retried once with its id (a lost reply strands nothing). Stops early when
    the queue runs dry or the server's bound is reached; raises only if nothing came."""
    replies: list[LeaseReply] = []
    got = 0
    while got < count:
        wanted = min(MAX_LEASE_ITEMS, count - got)
        try:
            reply = _lease_once(api, queue, wanted)
        except RequestRejected:
            if replies:
                break  # the server's bound: keep what was given
            raise
        if not reply.items:
            break
        store.save_lease(reply, username=username)
        _remember(store, username, reply.lease_id)
        if on_lease is not None:
            on_lease(reply)
        replies.append(reply)
        got += len(reply.items)
        if len(reply.items) < wanted:
            break
    return OfflineBatch(items=got, lease_ids=[r.lease_id for r in replies],
                        expires_at=min((r.expires_at for r in replies), default=None))


def _lease_once(api: ApiClient, queue: str, wanted: int) -> LeaseReply:
    request_id = str(uuid4())
    try:
        return api.lease(queue, wanted, request_id=request_id, offline=True)
    except ServerUnavailable:
        return api.lease(queue, wanted, request_id=request_id, offline=True)
