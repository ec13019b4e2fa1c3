"""The taxonomies and the wellness policy in force for the caller (strictest of the
default, each of the caller's teams and the caller's own scope), with each value's source
and the time zone the daily caps count in."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from reviewer.protocol import PolicyReply
from server.deps import CurrentUser, DbDep, SettingsDep
from server.errors import ERROR_RESPONSES
from server.models import Queue
from server.services.taxonomy import wire_taxonomy
from server.services.wellness import effective_for

router = APIRouter(tags=["policy"], responses=ERROR_RESPONSES)


@router.get("/policy", response_model=PolicyReply)
def get_policy(user: CurrentUser, db: DbDep, settings: SettingsDep) -> PolicyReply:
    with db.session() as session:
        taxonomies = {q.name: wire_taxonomy(q) for q in session.scalars(select(Queue))}
        effective, scope = effective_for(session, user.username, user.teams)
    return PolicyReply(taxonomies=taxonomies, wellness=effective.policy, scope=scope,
                       sources=effective.sources, time_zone=settings.time_zone)
