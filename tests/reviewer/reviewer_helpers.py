"""Helpers shared by the reviewer tests: seeding, logging in, deciding, asking QA."""

from __future__ import annotations

import secrets
from pathlib import Path

from reviewer.api import ApiClient
from reviewer.protocol import Decision
from reviewer.session import ReviewSession
from reviewer.workstation import Workstation

PASSWORDS = {  # made fresh each run: no password is written down anywhere
    name: f"{name}-{secrets.token_urlsafe(12)}" for name in ("demo", "qa", "wellness", "admin")
}


def seed_into(db_url: str, data_dir: Path) -> object:
    from server.seed import seed_demo

    return seed_demo(db_url, Path(data_dir), passwords=PASSWORDS, scale="small")


def login_demo(workstation: Workstation, server) -> None:
    workstation.login(server.url, "demo", PASSWORDS["demo"])


def client_as(server, username: str) -> ApiClient:
    api = ApiClient(server.url)
    api.login(username, PASSWORDS[username])
    return api


def server_decisions(server) -> dict[str, object]:
    """decision_id -> QADecision of everything the server holds for `demo`."""
    qa = client_as(server, "qa")
    try:
        reply = qa.qa_decisions(reviewer="demo", limit=1000)
    finally:
        qa.close()
    return {str(d.decision_id): d for d in reply.data}


def busiest_queue(workstation: Workstation) -> str:
    return max(workstation.queues(), key=lambda q: q.pending).name


def first_action(session: ReviewSession) -> str:
    return next(a.id for a in session.taxonomy.actions if a.key == "1")


def other_action(session: ReviewSession, action: str) -> str:
    return next(a.id for a in session.taxonomy.actions if a.key and a.id != action)


def decide_next(session: ReviewSession, action: str | None = None) -> Decision:
    """Show the current item (filling if needed) and decide it."""
    if session.current() is None:
        session.fill(min_ready=10)
    assert session.current() is not None, "the queue ran dry"
    session.mark_shown()
    return session.decide(action or first_action(session))
