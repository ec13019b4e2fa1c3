"""Handing leased items back when the app quits, so no one waits 15 minutes for them.

On a quit that runs code (Ctrl+Q, window close, SIGTERM) the workstation sends what
the outbox holds (one sync round), then releases each of the reviewer's open leases
(`DELETE /leases/{id}`: the server returns their undecided items to the queue) and
forgets the released ones locally. Leases taken offline on purpose are kept. All of
it runs on a short-lived thread that the caller waits for at most `timeout` seconds:
a dead or slow server never hangs the quit (what is not released expires by itself).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection

from offline_cache.store import LocalStore
from reviewer.api import ApiClient
from reviewer.errors import LeaseExpired, RequestRejected, ReviewerError

log = logging.getLogger(__name__)
RELEASE_TIMEOUT_S = 3.0


def release_leases(store: LocalStore, api: ApiClient, username: str, *,
                   keep: Collection[str] = (), sync: Callable[[], object] | None = None,
                   timeout: float = RELEASE_TIMEOUT_S) -> list[str]:
    """Sync once, then release every open lease of `username` not in `keep`; returns the
    ids released within `timeout` (the thread may go on a little longer, harmlessly)."""
    released: list[str] = []
    done = threading.Event()

    def work() -> None:
        try:
            if sync is not None:
                sync()
            quick = ApiClient(api.base_url, api.token, timeout=max(0.5, timeout / 2))
            try:
                for lease in store.open_leases(None, username):
                    if lease.lease_id in keep or done.is_set():
                        continue
                    if _release(quick, lease.lease_id):
                        store.forget_lease(lease.lease_id)
                        released.append(lease.lease_id)
            finally:
                quick.close()
        except Exception:  # the quit goes on; the leases expire by themselves
            log.warning("releasing leases on quit failed", exc_info=True)

    thread = threading.Thread(target=work, name="reviewer-release", daemon=True)
    thread.start()
    thread.join(timeout)
    done.set()
    return list(released)


def _release(api: ApiClient, lease_id: str) -> bool:
    try:
        api.release_lease(lease_id)
    except (LeaseExpired, RequestRejected):
        return True  # gone already on the server: nothing left to hand back
    except ReviewerError as exc:
        log.info("lease %s not released: %s", lease_id, exc.message)
        return False
    return True
