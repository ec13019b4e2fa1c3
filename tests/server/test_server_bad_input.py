"""Bad input gets a 4xx `ErrorReply`, never a 500: malformed JSON, unknown fields, wrong
types, oversized bodies, unknown routes and methods, bad path parameters.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator

import pytest
from server_harness import Harness, decision

from reviewer.protocol import ErrorReply

JSON = {"Content-Type": "application/json"}


def assert_error(reply, status: int, code: str | None = None) -> None:  # noqa: ANN001
    assert reply.status_code == status, reply.text
    body = ErrorReply.model_validate(reply.json())
    if code:
        assert body.error == code


@pytest.fixture
def reviewer(harness: Harness) -> dict[str, str]:
    harness.queue("q", 2)
    return harness.user("alice")


BAD_BODIES = [
    ("malformed json", b'{"decisions": [', "malformed_json"),
    ("not an object", b"[1, 2, 3]", "validation_error"),
    ("empty batch", b'{"decisions": []}', "validation_error"),
    ("unknown field", b'{"decisions": [], "admin": true}', "validation_error"),
    ("wrong type", b'{"decisions": "all of them"}', "validation_error"),
    ("invalid utf-8", b'{"decisions": ["\xff\xfe"]}', "bad_request"),
    ("null", b"null", "validation_error"),
    ("empty body", b"", "validation_error"),
]


@pytest.mark.parametrize("body, code", [b[1:] for b in BAD_BODIES],
                         ids=[b[0] for b in BAD_BODIES])
def test_bad_decision_bodies_get_json_errors(harness: Harness, reviewer: dict[str, str],
                                             body: bytes, code: str) -> None:
    reply = harness.http.post("/decisions", content=body, headers={**reviewer, **JSON})
    assert_error(reply, 400 if code == "bad_request" else 422, code)


def test_unknown_fields_and_wrong_types_inside_a_decision(harness: Harness,
                                                          reviewer: dict[str, str]) -> None:
    lease = harness.lease(reviewer, "q")
    good = decision(lease["items"][0]["id"], lease["lease_id"])
    for bad in ({**good, "score": 1}, {**good, "decision_id": "not-a-uuid"},
                {**good, "labels": "spam"}, {**good, "events": [{"at_ms": -1, "type": "shown"}]},
                {**good, "action": "x" * 65}, {**good, "item_id": None}):
        reply = harness.http.post("/decisions", json={"decisions": [bad]}, headers=reviewer)
        assert_error(reply, 422, "validation_error")


def test_oversized_bodies_get_413(harness: Harness, reviewer: dict[str, str]) -> None:
    big = b'{"decisions": ["' + b"x" * (1024 * 1024) + b'"]}'
    assert_error(harness.http.post("/decisions", content=big, headers={**reviewer, **JSON}),
                 413, "body_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"decisions": ["'
        for _ in range(40):
            yield b"y" * 65536
        yield b'"]}'

    streamed = harness.http.post("/decisions", content=chunks(), headers={**reviewer, **JSON})
    assert_error(streamed, 413, "body_too_large")


def test_item_ingest_accepts_more_than_a_mebibyte(harness: Harness) -> None:
    harness.queue("q", 0)
    admin = harness.user("root", "admin")
    media = base64.b64encode(bytes(range(256)) * 8192).decode()  # 2 MiB of bytes
    item = {"queue": "q", "kind": "image", "media_base64": media, "mime": "image/png",
            "category": "big"}
    reply = harness.http.post("/items", json=item, headers=admin)
    assert reply.status_code == 201, reply.text
    assert reply.json()["media"]["bytes"] == 2 * 1024 * 1024
    for bad, code in (({**item, "media_base64": "!!!"}, "validation_error"),
                      ({**item, "queue": "nope"}, "unknown_queue"),
                      ({**item, "mime": "not a mime"}, "validation_error"),
                      ({**item, "kind": "text", "media_base64": None}, "validation_error")):
        assert_error(harness.http.post("/items", json=bad, headers=admin),
                     404 if code == "unknown_queue" else 422, code)


def test_unknown_routes_methods_and_bad_parameters(harness: Harness,
                                                   reviewer: dict[str, str]) -> None:
    h = harness
    qa, wellness = h.user("qa", "qa_lead"), h.user("w", "wellness")
    assert_error(h.http.get("/no/such/route", headers=reviewer), 404, "not_found")
    assert_error(h.http.patch("/decisions", headers=reviewer), 405, "method_not_allowed")
    assert_error(h.http.get("/media/NOT-A-HASH", headers=qa), 422, "validation_error")
    assert_error(h.http.get("/media/" + "0" * 64, headers=qa), 403)
    assert_error(h.http.get("/qa/decisions?limit=-4", headers=qa), 422)
    assert_error(h.http.get("/qa/decisions?since=yesterday", headers=qa), 422)
    assert_error(h.http.get("/wellness/report?since=2024-13-45", headers=wellness), 422)
    assert_error(h.http.put("/wellness/policies/everyone", json={"policy": {}},
                            headers=wellness), 422, "invalid_scope")
    assert_error(h.http.put("/wellness/policies/default", json={"policy": {"blur_sigma_pct": 99}},
                            headers=wellness), 422)
    assert_error(h.http.post("/queues/bad name!/leases", json={}, headers=reviewer), 422)
    assert_error(h.http.post("/queues/q/leases", json={"max_items": 0}, headers=reviewer), 422)
    assert_error(h.http.post("/queues/q/leases", json={"max_items": "ten"}, headers=reviewer),
                 422)
    assert_error(h.http.delete(f"/leases/L-{uuid.uuid4().hex}", headers=reviewer), 404)
    assert_error(h.http.get("/me", headers={"Authorization": "Basic YWxpY2U6cHc="}), 401)
    assert_error(h.http.post("/auth/token", content=b"\x00\x01", headers=JSON), 422)


def test_no_route_answers_junk_with_a_500(harness: Harness) -> None:
    from test_server_roles import ROUTES

    harness.queue("q", 1)
    junk = [b"", b"{", b"[]", b'{"x": 1}', b"null", b'"text"', b"\xff" * 10, b"9" * 400]
    for route in ROUTES:
        headers = {**harness.user(None, route.allowed[0]), **JSON}
        path = (route.path.replace("{queue}", "q").replace("{lease}", "L-1")
                .replace("{sha256}", "a" * 64).replace("{scope}", "user:x"))
        for body in junk:
            reply = harness.http.request(route.method, path, content=body, headers=headers)
            assert reply.status_code < 500, f"{route.method} {path} {body!r}: {reply.text}"
            if reply.status_code >= 400:
                ErrorReply.model_validate(reply.json())
