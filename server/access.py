"""Who may lease a queue, and which leases may be renewed.

Attached to the queue and lease routers in `server.app` (router dependencies), so the
rules hold without touching those routes:
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

from datetime import timedelta

from fastapi import Request
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from reviewer.protocol import Role, UserPublic
from server.config import ServerSettings
from server.db import Database
from server.deps import CurrentUser, DbDep, SettingsDep
from server.errors import ApiError
from server.models import DecisionRecord, Item, Lease, QueueTeam, utcnow
from server.services.escalation import is_escalation_queue

TIER_ROLES: tuple[Role, ...] = ("senior", "qa_lead")
"""Who may lease from an escalation queue."""


def queue_teams(session: Session | Connection, queue: str) -> set[str]:
    return set(session.scalars(select(QueueTeam.team).where(QueueTeam.queue == queue)))


def may_lease(session: Session | Connection, queue: str, teams: list[str]) -> bool:
    allowed = queue_teams(session, queue)
    return not allowed or bool(allowed & set(teams))


def may_review(session: Session, queue: str, user: UserPublic) -> bool:
    """May `user` lease from `queue` (its teams, and the escalation tier's roles)?"""
    if not may_lease(session, queue, user.teams):
        return False
    return not is_escalation_queue(session, queue) or bool(set(user.roles) & set(TIER_ROLES))


def queue_access(request: Request, user: CurrentUser, db: DbDep) -> None:
    """Refuse a lease on a queue reserved for teams the caller is not in (403)."""
    queue = request.path_params.get("queue")
    if queue is None or request.method != "POST":
        return
    with db.statement() as conn:  # two lone reads: no transaction around them
        allowed = may_lease(conn, queue, user.teams)
        tier = is_escalation_queue(conn, queue)
    if not allowed:
        raise ApiError(403, "not_your_team", f"Queue {queue} is reserved for other teams.")
    if tier and not set(user.roles) & set(TIER_ROLES):
        raise ApiError(403, "escalation_tier", f"Queue {queue} is an escalation queue: only "
                       f"reviewers with the role {' or '.join(TIER_ROLES)} may lease from it.")


async def renewal_rule(request: Request, user: CurrentUser, db: DbDep,
                       settings: SettingsDep) -> None:
    """Refuse to renew a lease with nothing left to decide, or one past its maximum age
    (409). Unknown, foreign, released or expired leases are left to the route. A
    coroutine: the lease router's other routes (release) pass without a threadpool hop."""
    lease_id = request.path_params.get("lease")
    if lease_id is None or not request.url.path.endswith("/renew"):
        return
    await run_in_threadpool(_check_renewal, db, lease_id, user.username, settings)


def _check_renewal(db: Database, lease_id: str, reviewer: str,
                   settings: ServerSettings) -> None:
    with db.session() as session:
        lease = session.get(Lease, lease_id)
        now = utcnow()
        if (lease is None or lease.reviewer != reviewer
                or lease.released_at is not None or lease.expires_at <= now):
            return
        if lease.created_at + timedelta(seconds=settings.lease_max_age) <= now:
            raise ApiError(409, "lease_too_old", "The lease has reached its maximum age; "
                           "release it and lease items again.")
        undecided = session.scalar(select(func.count()).select_from(Item).where(
            Item.lease_id == lease.id, Item.state == "pending"))
        undo_window = now - timedelta(seconds=settings.lease_ttl)
        recent = session.scalar(select(func.count()).select_from(DecisionRecord).where(
            DecisionRecord.lease_id == lease.id, DecisionRecord.received_at > undo_window))
    if not undecided and not recent:
        raise ApiError(409, "lease_finished", "The lease has no undecided items left.")
