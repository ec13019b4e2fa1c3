"""The audit log, on SQLite and PostgreSQL: an entry for each audited action (who, what,
from where, outcome), none for quiet reads, and never a note, content or password; the
server's files are private (0600/0700).
"""

from __future__ import annotations

import stat
import uuid
from pathlib import Path

from server_harness import PASSWORD, Harness, decision
from sqlalchemy import select

from server.embedded import EmbeddedServer
from server.models import AuditEvent

NOTE = "audit-must-never-hold-this-note"


def _events(h: Harness) -> list[AuditEvent]:
    with h.db.session() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _reviewer_session(h: Harness) -> tuple[str, str]:
    """Log in as a reviewer, lease, fetch media, decide with a note, release, log out."""
    h.queue("q", 2, images=1)
    h.user("rita", "reviewer")
    assert h.http.post("/auth/token", json={"username": "rita", "password": "wrong-password"}
                       ).status_code == 401
    login = h.http.post("/auth/token", json={"username": "rita", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    lease = h.lease(headers, "q", 2)
    sha = lease["items"][0]["media"]["sha256"]
    assert h.http.get(f"/media/{sha}", headers=headers).status_code == 200
    assert h.http.post(f"/leases/{lease['lease_id']}/renew", headers=headers
                       ).status_code == 200
    made = decision(lease["items"][0]["id"], lease["lease_id"], note=NOTE)
    h.post_decisions(headers, made)
    assert h.http.delete(f"/leases/{lease['lease_id']}", headers=headers).status_code == 200
    assert h.http.get("/me", headers=headers).status_code == 200
    assert h.http.post("/auth/logout", headers=headers).status_code == 200
    return made["decision_id"], sha


def test_each_audited_action_has_an_entry_and_no_note(backend_harness: Harness) -> None:
    h = backend_harness
    decision_id, sha = _reviewer_session(h)
    qa, wellness = h.user("quinn", "qa_lead"), h.user("wendy", "wellness")
    assert h.http.get("/qa/decisions", headers=qa).status_code == 200
    verdict = {"verdict_id": str(uuid.uuid4()), "decision_id": decision_id,
               "action": "approve", "note": NOTE}
    assert h.http.post("/qa/verdicts", json={"verdicts": [verdict]}, headers=qa
                       ).status_code == 200
    assert h.http.get("/wellness/report", headers=wellness).status_code == 200
    assert h.http.put("/wellness/policies/team:vendor-a", json={"policy": {"pixelate": True}},
                      headers=wellness).status_code == 200
    assert h.http.get("/wellness/report", headers=qa).status_code == 403

    rows = [(e.actor, e.action, e.outcome) for e in _events(h)]
    assert rows == [
        ("rita", "login", "401"), ("rita", "login", "200"), ("rita", "lease", "200"),
        ("rita", "media.fetch", "200"), ("rita", "lease.renew", "200"),
        ("rita", "decisions", "200"),
        ("rita", "lease.release", "200"), ("rita", "token.revoke", "200"),
        ("quinn", "qa.read", "200"), ("quinn", "qa.verdicts", "200"),
        ("wendy", "wellness.read", "200"),
        ("wendy", "policy.change", "200"), ("quinn", "wellness.read", "403"),
    ]
    events = _events(h)
    assert {e.source for e in events} == {"127.0.0.1"}
    assert events[2].target == "queue=q" and events[3].target == f"sha256={sha}"
    assert events[4].target.startswith("lease=")
    for event in events:
        for value in (event.actor, event.action, event.target, event.source, event.outcome):
            assert NOTE not in value and PASSWORD not in value


def test_requests_without_a_valid_token_are_recorded_without_an_actor(
        backend_harness: Harness) -> None:
    h = backend_harness
    h.queue("q", 1)
    assert h.http.post("/queues/q/leases", json={"max_items": 1}).status_code == 401
    assert h.http.get("/no/such/route").status_code == 404
    assert [(e.actor, e.action, e.outcome) for e in _events(h)] == [("", "lease", "401")]


def test_database_and_media_are_private(server_dirs: tuple[str, Path]) -> None:
    db_url, data_dir = server_dirs
    with EmbeddedServer(db_url, data_dir) as server:
        h = Harness(server)
        try:
            h.queue("q", 1, images=1)
            h.user("rita")
        finally:
            h.close()
    db_file = Path(db_url.removeprefix("sqlite:///"))
    for path in (db_file, db_file.with_name(db_file.name + "-wal")):
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for directory in (data_dir, data_dir / "media"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
