"""Every route the OpenAPI document lists × every role, plus no token, a revoked token and
a disabled user's token: 401 without a valid token, 403 `forbidden` for a role the route's
row does not allow, and neither (nor a 5xx) for a role it does (which may still meet the
route's own answer to a made-up request: 404, 409, 422, a 403 for a missing lease). The
routes come from the live server's OpenAPI document, so a route added without a row in
`test_server_roles.ROUTES` fails here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from server_harness import Harness
from test_server_roles import ROUTES

from reviewer.protocol import ROLES
from server.accounts import disable_user

PUBLIC = {("POST", "/auth/token")}
SAMPLES = {"queue": "q", "lease": "no-such-lease", "sha256": "0" * 64,
           "scope": "team:vendor-a", "username": "someone"}


def _operations(h: Harness) -> list[tuple[str, str]]:
    paths = h.http.get(h.server.url + "/openapi.json").json()["paths"]
    return sorted((method.upper(), path.removeprefix("/api/v1"))
                  for path, ops in paths.items() for method in ops)


def _call(h: Harness, method: str, template: str, headers: dict[str, str]) -> Any:
    path = re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], template)
    body = {} if method in {"POST", "PUT", "PATCH"} else None
    return h.http.request(method, path, json=body, headers=headers)


def _role_refusal(reply: Any) -> bool:
    """A 403 for the caller's role (not a 403 of the route's own rules, e.g. no lease)."""
    return reply.status_code == 403 and reply.json().get("error") == "forbidden"


def test_every_documented_route_against_every_caller(harness: Harness) -> None:
    h = harness
    h.queue("q", 2)
    allowed = {(r.method, r.path): set(r.allowed) for r in ROUTES}
    revoked = h.user("leaver", "reviewer", "qa_lead", "wellness", "admin")
    assert h.http.post("/auth/logout", headers=revoked).status_code == 200
    disabled = h.user("gone", "reviewer", "qa_lead", "wellness", "admin")
    disable_user(h.server.db_url, "gone")
    failures = []
    for method, path in _operations(h):
        if (method, path) in PUBLIC:
            continue
        if (method, path) not in allowed:
            failures.append(f"{method} {path}: no row in test_server_roles.ROUTES")
            continue
        for caller, headers in (("no token", {}), ("revoked", revoked),
                                ("disabled", disabled)):
            status = _call(h, method, path, headers).status_code
            if status != 401:
                failures.append(f"{method} {path} {caller}: {status}, expected 401")
        for role in ROLES:  # a fresh token each time: logout revokes the one it is sent
            reply = _call(h, method, path, h.user(f"matrix-{role}", role))
            status, refused = reply.status_code, _role_refusal(reply)
            if role in allowed[(method, path)]:
                if status == 401 or refused or status >= 500:
                    failures.append(f"{method} {path} {role}: {status}, expected allowed")
            elif not refused:
                failures.append(f"{method} {path} {role}: {status}, expected 403 forbidden")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", sorted(PUBLIC))
def test_public_routes_need_no_token(harness: Harness, route: tuple[str, str]) -> None:
    reply = _call(harness, *route, {})
    assert reply.status_code == 422  # reached validation, not the token check
