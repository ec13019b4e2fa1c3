"""Log in for a bearer token; ask who you are."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from sqlalchemy import delete, select

from reviewer.protocol import MeReply, TokenReply, TokenRequest, UserPublic
from server.deps import CurrentUser, DbDep, SettingsDep
from server.errors import ERROR_RESPONSES, ApiError
from server.models import AccessToken, Queue, User, utcnow
from server.security import new_token, verify_password

router = APIRouter(tags=["auth"], responses=ERROR_RESPONSES)


@router.post("/auth/token", response_model=TokenReply)
def issue_token(body: TokenRequest, db: DbDep, settings: SettingsDep) -> TokenReply:
    """Verify the password (slow on purpose) outside any transaction, then store the
    token in a short write transaction."""
    with db.session() as session:
        user = session.get(User, body.username)
    if not verify_password(user.password_hash if user else None, body.password) or not user:
        raise ApiError(401, "invalid_credentials", "Unknown user or wrong password.")
    token, hashed = new_token()
    with db.writer() as session:
        now = utcnow()
        session.execute(delete(AccessToken).where(AccessToken.expires_at <= now))
        expires_at = now + timedelta(seconds=settings.token_ttl)
        session.add(AccessToken(token_hash=hashed, username=user.username, expires_at=expires_at))
    public = UserPublic(username=user.username, roles=user.roles, teams=user.teams)
    return TokenReply(access_token=token, expires_at=expires_at, user=public)


@router.get("/me", response_model=MeReply)
def me(user: CurrentUser, db: DbDep) -> MeReply:
    queues: list[str] = []
    if "reviewer" in user.roles:
        with db.session() as session:
            queues = list(session.scalars(select(Queue.name).order_by(Queue.name)))
    return MeReply(user=user, queues=queues)
