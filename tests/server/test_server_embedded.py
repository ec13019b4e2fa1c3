"""The embedded server comes back on the same port with the same data after a restart."""

from __future__ import annotations

import httpx
from server_harness import Harness


def test_restart_keeps_port_and_data(harness: Harness) -> None:
    h = harness
    h.queue("q", 2)
    alice = h.user("alice")
    port = h.server.port
    lease = h.lease(alice, "q", 1)
    h.server.stop()
    try:
        h.http.get("/me", headers=alice)
        raise AssertionError("the server still answers after stop()")
    except httpx.TransportError:
        pass
    h.server.restart()
    assert h.server.port == port and h.server.url == f"http://127.0.0.1:{port}"
    renewed = h.http.post(f"/leases/{lease['lease_id']}/renew", headers=alice)
    assert renewed.status_code == 200
