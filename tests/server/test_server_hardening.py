"""Input hardening on SQLite and PostgreSQL alike: control characters are refused with 422
(a NUL in a note used to be a 500 on PostgreSQL), client times far outside the lease are
rejected one decision at a time, and a 500's log line never carries SQL parameters.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from server_harness import Harness, decision
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.db import Database
from server.errors import log_unexpected


@pytest.mark.parametrize("bad", ["\u0000", "\u0007", "\u001b[31m", "\u007f"])
def test_control_characters_in_a_note_are_refused_with_422(backend_harness: Harness,
                                                           bad: str) -> None:
    h = backend_harness
    ids = h.queue("q", 2)
    reviewer = h.user()
    lease = h.lease(reviewer, "q", 2)
    batch = {"decisions": [decision(ids[0], lease["lease_id"], note=f"looks fine{bad}ok")]}
    reply = h.http.post("/decisions", json=batch, headers=reviewer)
    assert reply.status_code == 422 and reply.json()["error"] == "control_character"
    fine = decision(ids[1], lease["lease_id"], note="line one\nline two\ttabbed\r\n")
    assert h.post_decisions(reviewer, fine)[0]["status"] == "accepted"


def test_control_characters_anywhere_in_the_request_are_refused(backend_harness: Harness
                                                                ) -> None:
    h = backend_harness
    reviewer = h.user()
    raw = b'{"max_items": 1, "k\\u0000": 1}'
    reply = h.http.post("/queues/q/leases", content=raw, headers={
        **reviewer, "Content-Type": "application/json"})
    assert reply.status_code == 422 and reply.json()["error"] == "control_character"
    assert h.http.get("/queues/q%00/leases", headers=reviewer).status_code == 422
    assert h.http.get("/qa/decisions?reviewer=a%00b", headers=reviewer).status_code == 422
    # An escaped backslash followed by "u0000" is plain text, not a NUL.
    harmless = json.dumps({"max_items": 1}).encode()[:-1] + b', "x": "\\\\u0000"}'
    assert h.http.post("/queues/q/leases", content=harmless, headers={
        **reviewer, "Content-Type": "application/json"}).json()["error"] != "control_character"


@pytest.mark.parametrize("shift", [timedelta(days=-365 * 25), timedelta(days=2)])
def test_client_times_far_outside_the_lease_are_rejected_alone(backend_harness: Harness,
                                                               shift: timedelta) -> None:
    h = backend_harness
    ids = h.queue("q", 2)
    reviewer = h.user()
    lease = h.lease(reviewer, "q", 2)
    skewed = (datetime.now(UTC) + shift).isoformat()
    wrong = decision(ids[0], lease["lease_id"], decided_at=skewed, started_at=skewed)
    right = decision(ids[1], lease["lease_id"])
    results = h.post_decisions(reviewer, wrong, right)
    assert results[0]["status"] == "rejected" and "clock" in results[0]["reason"]
    assert results[1]["status"] == "accepted"
    # The rejected item is still open: a corrected decision is accepted.
    assert h.post_decisions(reviewer, decision(ids[0], lease["lease_id"]))[0]["status"] == (
        "accepted")


def test_a_database_error_is_logged_without_its_parameters(
        server_dirs: tuple[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    db = Database(server_dirs[0])
    note = "reviewer note: the victim's home address"
    kind = ""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table WHERE note = :note"), {"note": note})
    except SQLAlchemyError as exc:
        kind = type(exc).__name__  # OperationalError on SQLite, ProgrammingError on PostgreSQL
        with caplog.at_level(logging.ERROR):
            log_unexpected("POST", "/api/v1/decisions", exc)
    finally:
        db.dispose()
    assert kind and kind in caplog.text and "/api/v1/decisions" in caplog.text
    for leaked in (note, "no such table", "does not exist"):  # the parameters, the message
        assert leaked not in caplog.text
