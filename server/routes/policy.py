"""The taxonomies and the wellness policy in force for the caller."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from reviewer.protocol import PolicyReply
from server.deps import CurrentUser, DbDep
from server.errors import ERROR_RESPONSES
from server.models import Queue
from server.services.taxonomy import wire_taxonomy
from server.services.wellness import policy_for

router = APIRouter(tags=["policy"], responses=ERROR_RESPONSES)


@router.get("/policy", response_model=PolicyReply)
def get_policy(user: CurrentUser, db: DbDep) -> PolicyReply:
    with db.session() as session:
        taxonomies = {q.name: wire_taxonomy(q) for q in session.scalars(select(Queue))}
        wellness, scope = policy_for(session, user)
    return PolicyReply(taxonomies=taxonomies, wellness=wellness, scope=scope)
