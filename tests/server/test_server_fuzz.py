"""Schemathesis against the live server's OpenAPI document, on SQLite and PostgreSQL:
generated requests (bounded: a few per operation, the whole run a few hundred at most)
with a token holding every role, never a 5xx."""

from __future__ import annotations

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from server_harness import Harness

EXAMPLES_PER_OPERATION = 6


def test_generated_requests_never_get_a_server_error(backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 4, images=1)
    headers = h.user("fuzz", "reviewer", "qa_lead", "wellness", "admin")
    document = h.http.get(h.server.url + "/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    server_errors: list[str] = []
    statuses: list[int] = []
    session = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        if operation.path == "/api/v1/auth/logout":
            continue  # it would revoke the token the other operations use

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  derandomize=True,
                  phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            reply = case.call(base_url=h.server.url, session=session,
                              headers={**(case.headers or {}), **headers}, timeout=20)
            statuses.append(reply.status_code)
            if reply.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path}: "
                                     f"{reply.status_code}")

        run()
    session.close()
    assert not server_errors, server_errors
    assert len(statuses) >= 3 * len(operations)  # the requests were really sent
    assert {200, 422} <= set(statuses)  # some got through, some were refused
