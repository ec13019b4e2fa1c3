"""Who may lease a queue, and which leases may be renewed.

The lease and renew routes run them inside the service's own write transaction
(`lease_for_request(guard=...)`, `renew_lease(rule=...)`): one threadpool hop, one
connection and one transaction a request instead of two of each. The rules:
- a queue naming teams (`queue_teams` rows) is leased only by members of one of them; a
  queue naming none is open to every reviewer;
- a queue that is some queue's escalation queue (the second tier) is leased only by
  callers with the role `senior` or `qa_lead` (`TIER_ROLES`);
- a lease is renewed only while it holds undecided items (or a decision made under it
  within the last lease period, which its holder may still undo and needs the media
  for), and never past `ServerSettings.lease_max_age` from its creation: a reviewer
  cannot sit on items forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.orm import Session

from reviewer.protocol import Role, UserPublic
from server.config import ServerSettings
from server.errors import ApiError
from server.models import DecisionRecord, Item, Lease, QueueTeam
from server.services.escalation import is_escalation_queue

TIER_ROLES: tuple[Role, ...] = ("senior", "qa_lead")
"""Who may lease from an escalation queue."""


_TEAMS = select(QueueTeam.team).where(QueueTeam.queue == bindparam("queue"))  # built once


def queue_teams(session: Session | Connection, queue: str) -> set[str]:
    return set(session.scalars(_TEAMS, {"queue": queue}))


def may_lease(session: Session | Connection, queue: str, teams: list[str]) -> bool:
    allowed = queue_teams(session, queue)
    return not allowed or bool(allowed & set(teams))


def may_review(session: Session, queue: str, user: UserPublic) -> bool:
    """May `user` lease from `queue` (its teams, and the escalation tier's roles)?"""
    if not may_lease(session, queue, user.teams):
        return False
    return not is_escalation_queue(session, queue) or bool(set(user.roles) & set(TIER_ROLES))


def check_queue_access(teams: set[str], tier: bool, *, queue: str, user: UserPublic) -> None:
    """Refuse a lease on a queue reserved for `teams` the caller is not in, or on an
    escalation queue (`tier`) to a caller without a tier role (403)."""
    if teams and not teams & set(user.teams):
        raise ApiError(403, "not_your_team", f"Queue {queue} is reserved for other teams.")
    if tier and not set(user.roles) & set(TIER_ROLES):
        raise ApiError(403, "escalation_tier", f"Queue {queue} is an escalation queue: only "
                       f"reviewers with the role {' or '.join(TIER_ROLES)} may lease from it.")


def check_renewal(session: Session, lease: Lease, now: datetime,
                  settings: ServerSettings) -> None:
    """Refuse to renew a live lease with nothing left to decide, or one past its maximum
    age (409). Unknown, foreign, released or expired leases are the caller's to refuse."""
    if lease.created_at + timedelta(seconds=settings.lease_max_age) <= now:
        raise ApiError(409, "lease_too_old", "The lease has reached its maximum age; "
                       "release it and lease items again.")
    if session.scalar(_UNDECIDED, {"lease": lease.id}):
        return
    undo_window = now - timedelta(seconds=settings.lease_ttl)
    if not session.scalar(_RECENT, {"lease": lease.id, "since": undo_window}):
        raise ApiError(409, "lease_finished", "The lease has no undecided items left.")


# Built once: every renewal asks.
_UNDECIDED = select(func.count()).select_from(Item).where(
    Item.lease_id == bindparam("lease"), Item.state == "pending")
_RECENT = select(func.count()).select_from(DecisionRecord).where(
    DecisionRecord.lease_id == bindparam("lease"), DecisionRecord.received_at > bindparam("since"))
