"""The server's lease manners: a repeated request id gets the same lease, an empty
queue leaves no lease row, a reviewer holds a bounded number of undecided items, and
errors carry Retry-After."""

from __future__ import annotations

import pytest
from net_helpers import free_items, lease_rows
from server_harness import Harness


def _lease(net: Harness, headers: dict[str, str], queue: str, n: int, request_id: str | None
           ) -> dict:
    body: dict = {"max_items": n}
    if request_id:
        body["request_id"] = request_id
    reply = net.http.post(f"/queues/{queue}/leases", json=body, headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_repeated_request_id_returns_the_same_lease_and_items(backend_net: Harness) -> None:
    net = backend_net
    net.queue("q", 10)
    alice = net.user("alice")
    first = _lease(net, alice, "q", 4, "req-1")
    again = _lease(net, alice, "q", 4, "req-1")
    assert again["lease_id"] == first["lease_id"]
    assert [i["id"] for i in again["items"]] == [i["id"] for i in first["items"]]
    assert lease_rows(net, "alice") == 1
    assert free_items(net, "q") == 6  # the repeat claimed nothing more

    other = _lease(net, alice, "q", 4, "req-2")  # a new id is a new lease
    assert other["lease_id"] != first["lease_id"]
    assert free_items(net, "q") == 2


def test_a_request_id_is_per_reviewer(backend_net: Harness) -> None:
    net = backend_net
    net.queue("q", 6)
    alice, bob = net.user("alice"), net.user("bob")
    mine = _lease(net, alice, "q", 3, "same-id")
    theirs = _lease(net, bob, "q", 3, "same-id")
    assert theirs["lease_id"] != mine["lease_id"]
    assert not {i["id"] for i in mine["items"]} & {i["id"] for i in theirs["items"]}


def test_an_empty_queue_leaves_no_lease_row(backend_net: Harness) -> None:
    net = backend_net
    net.queue("q", 0)
    alice = net.user("alice")
    for n in range(5):
        assert _lease(net, alice, "q", 5, f"r{n}")["items"] == []
    assert lease_rows(net) == 0


@pytest.mark.server_settings(max_held_items=5)
def test_a_reviewer_holds_at_most_the_configured_number_of_undecided_items(
        backend_net: Harness) -> None:
    net = backend_net
    net.queue("q", 20)
    alice, bob = net.user("alice"), net.user("bob")
    assert len(_lease(net, alice, "q", 4, None)["items"]) == 4
    assert len(_lease(net, alice, "q", 4, None)["items"]) == 1  # only the room left
    refused = net.http.post("/queues/q/leases", json={"max_items": 4}, headers=alice)
    assert refused.status_code == 409
    assert refused.json()["error"] == "holding_limit"
    assert "5 undecided items" in refused.json()["detail"]
    assert len(_lease(net, bob, "q", 4, None)["items"]) == 4  # others are not affected


def test_a_5xx_from_the_server_says_when_to_retry() -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from server.errors import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    reply = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert reply.status_code == 500
    assert float(reply.headers["Retry-After"]) > 0

