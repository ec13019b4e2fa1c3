"""Every route against every role: allowed, 401 without (or with an expired) token, 403
for the other roles. One row per route of the ARCHITECTURE table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from server_harness import PASSWORD, Harness, decision, png_base64

from reviewer.protocol import ROLES

Headers = dict[str, str]
Prepared = tuple[str, Any]  # (path, json body or None)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: tuple[str, ...]
    prepare: Callable[[Harness, Headers, str | None], Prepared]
    """Builds a request that succeeds when the caller (of `role`) is allowed."""


def _static(path: str, body: Any = None) -> Callable[[Harness, Headers, str | None], Prepared]:
    return lambda _h, _headers, _role: (path, body)


def _own_lease(h: Harness, headers: Headers, role: str | None) -> dict[str, Any]:
    """A lease of the caller when a reviewer, else of some other reviewer."""
    return h.lease(headers if role in ("reviewer", "senior") else h.user(), "q", 1)


def _renew(h: Harness, headers: Headers, role: str | None) -> Prepared:
    return (f"/leases/{_own_lease(h, headers, role)['lease_id']}/renew", None)


def _release(h: Harness, headers: Headers, role: str | None) -> Prepared:
    return (f"/leases/{_own_lease(h, headers, role)['lease_id']}", None)


def _media(h: Harness, headers: Headers, role: str | None) -> Prepared:
    return (f"/media/{_own_lease(h, headers, role)['items'][0]['media']['sha256']}", None)


def _decisions(h: Harness, headers: Headers, role: str | None) -> Prepared:
    lease = _own_lease(h, headers, role)
    return ("/decisions", {"decisions": [decision(lease["items"][0]["id"], lease["lease_id"])]})


def _exposure(_h: Harness, _headers: Headers, _role: str | None) -> Prepared:
    entry = {"entry_id": str(uuid.uuid4()), "item_id": "q-000", "category": "test",
             "severity": 1, "mode": "hold", "started_at": datetime.now(UTC).isoformat(),
             "duration_ms": 1200}
    return ("/exposure", {"entries": [entry]})


def _stored_policy(h: Harness, _headers: Headers, _role: str | None) -> Prepared:
    h.http.put("/wellness/policies/team:vendor-a", headers=h.user(None, "wellness"),
               json={"policy": {"pixelate": True}})
    return ("/wellness/policies/team:vendor-a", None)


def _effective(h: Harness, _headers: Headers, _role: str | None) -> Prepared:
    h.user("alice", "reviewer")
    return ("/wellness/effective/alice", None)


def _breaks(_h: Harness, _headers: Headers, _role: str | None) -> Prepared:
    entry = {"break_id": str(uuid.uuid4()), "due_at": datetime.now(UTC).isoformat(),
             "taken_seconds": 600}
    return ("/breaks", {"entries": [entry]})


_verdict = {"verdicts": [{"verdict_id": str(uuid.uuid4()), "decision_id": str(uuid.uuid4()),
                          "action": "approve"}]}
_item = {"queue": "q", "kind": "image", "media_base64": png_base64(), "mime": "image/png",
         "category": "test", "severity": 2}

ROUTES = [
    Route("GET", "/me", ROLES, _static("/me")),
    Route("POST", "/auth/logout", ROLES, _static("/auth/logout")),
    Route("GET", "/queues", ("reviewer", "senior", "qa_lead"), _static("/queues")),
    Route("POST", "/queues/{queue}/leases", ("reviewer", "senior"),
          _static("/queues/q/leases", {"max_items": 1})),
    Route("POST", "/leases/{lease}/renew", ("reviewer", "senior"), _renew),
    Route("DELETE", "/leases/{lease}", ("reviewer", "senior"), _release),
    Route("GET", "/media/{sha256}", ("reviewer", "senior", "qa_lead"), _media),
    Route("POST", "/decisions", ("reviewer", "senior"), _decisions),
    Route("GET", "/policy", ROLES, _static("/policy")),
    Route("POST", "/exposure", ("reviewer", "senior", "qa_lead"), _exposure),
    Route("POST", "/breaks", ("reviewer", "senior"), _breaks),
    Route("GET", "/wellness/policies", ("wellness",), _static("/wellness/policies")),
    Route("GET", "/wellness/policies/{scope}", ("wellness",), _stored_policy),
    Route("PUT", "/wellness/policies/{scope}", ("wellness",),
          _static("/wellness/policies/team:vendor-a", {"policy": {"pixelate": True}})),
    Route("DELETE", "/wellness/policies/{scope}", ("wellness",), _stored_policy),
    Route("GET", "/wellness/policy-changes", ("wellness",), _static("/wellness/policy-changes")),
    Route("GET", "/wellness/effective/{username}", ("wellness",), _effective),
    Route("GET", "/wellness/report", ("wellness",), _static("/wellness/report")),
    Route("GET", "/wellness/summary", ("wellness",), _static("/wellness/summary")),
    Route("GET", "/qa/decisions", ("qa_lead",), _static("/qa/decisions")),
    Route("POST", "/qa/verdicts", ("qa_lead",), _static("/qa/verdicts", _verdict)),
    Route("GET", "/qa/report", ("qa_lead",), _static("/qa/report")),
    Route("POST", "/qa/gold", ("qa_lead",),
          _static("/qa/gold", {"item_id": "q-011", "action": "remove"})),
    Route("GET", "/qa/gold", ("qa_lead",), _static("/qa/gold")),
    Route("POST", "/items", ("admin",), _static("/items", _item)),
]


def _call(h: Harness, route: Route, headers: Headers, role: str | None) -> Any:
    path, body = route.prepare(h, headers, role)
    return h.http.request(route.method, path, json=body, headers=headers)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_route_checks_roles(harness: Harness, route: Route) -> None:
    h = harness
    h.queue("q", 12, images=12)
    for role in ROLES:
        headers = h.user(None, role)
        reply = _call(h, route, headers, role)
        if role in route.allowed:
            assert reply.status_code < 300, f"{role}: {reply.status_code} {reply.text}"
        else:
            assert reply.status_code == 403, f"{role}: {reply.status_code} {reply.text}"
            assert reply.json()["error"] == "forbidden"

    path = route.prepare(h, {}, None)[0]
    no_token = h.http.request(route.method, path)
    assert no_token.status_code == 401 and no_token.json()["error"] == "unauthorized"
    assert no_token.headers["www-authenticate"] == "Bearer"
    expired = h.user(None, route.allowed[0], expires_in=-1)
    stale = h.http.request(route.method, path, headers=expired)
    assert stale.status_code == 401 and stale.json()["error"] == "token_expired"
    forged = h.http.request(route.method, path, headers={"Authorization": "Bearer " + "x" * 43})
    assert forged.status_code == 401 and forged.json()["error"] == "invalid_token"


def test_login_gives_a_working_token_and_refuses_bad_passwords(harness: Harness) -> None:
    h = harness
    h.user("alice", "reviewer", teams=("vendor-a",))
    good = h.http.post("/auth/token", json={"username": "alice", "password": PASSWORD})
    assert good.status_code == 200
    token = good.json()["access_token"]
    assert good.json()["user"] == {"username": "alice", "roles": ["reviewer"],
                                   "teams": ["vendor-a"]}
    me = h.http.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["user"]["username"] == "alice"
    for username, password in (("alice", "wrong"), ("nobody", PASSWORD)):
        bad = h.http.post("/auth/token", json={"username": username, "password": password})
        assert bad.status_code == 401 and bad.json()["error"] == "invalid_credentials"


def test_the_server_lists_every_route_of_the_table(harness: Harness) -> None:
    paths = harness.http.get(harness.server.url + "/openapi.json").json()["paths"]
    documented = {(m.upper(), p.removeprefix("/api/v1")) for p, ops in paths.items() for m in ops}
    expected = {(r.method, r.path) for r in ROUTES} | {("POST", "/auth/token")}
    assert expected == documented
    lease_reply = paths["/api/v1/queues/{queue}/leases"]["post"]["responses"]["200"]
    assert lease_reply["content"]["application/json"]["schema"]["$ref"].endswith("LeaseReply")
