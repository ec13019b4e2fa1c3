"""Log in for a bearer token (throttled), log out (revoke it), ask who you are."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy import delete, select
from starlette.concurrency import run_in_threadpool

from reviewer.protocol import LogoutReply, MeReply, TokenReply, TokenRequest, UserPublic
from server.access import may_lease
from server.client_address import client_address
from server.db import Database
from server.deps import CurrentUser, DbDep, SettingsDep
from server.errors import ERROR_RESPONSES, ApiError
from server.models import AccessToken, Queue, User, utcnow
from server.security import new_token, verify_password
from server.throttle import LoginThrottle

router = APIRouter(tags=["auth"], responses=ERROR_RESPONSES)


def _login(db: Database, body: TokenRequest, token_ttl: float) -> TokenReply | None:
    """Verify the password (slow on purpose) outside any transaction, then store the
    token in a short write transaction. None for a wrong password or a disabled user."""
    with db.session() as session:
        user = session.get(User, body.username)
    if not verify_password(user.password_hash if user else None, body.password) or not user:
        return None
    if user.disabled_at is not None:
        return None
    token, hashed = new_token()
    with db.writer() as session:
        now = utcnow()
        session.execute(delete(AccessToken).where(AccessToken.expires_at <= now))
        expires_at = now + timedelta(seconds=token_ttl)
        session.add(AccessToken(token_hash=hashed, username=user.username, expires_at=expires_at))
    public = UserPublic(username=user.username, roles=user.roles, teams=user.teams)
    return TokenReply(access_token=token, expires_at=expires_at, user=public)


@router.post("/auth/token", response_model=TokenReply)
async def issue_token(body: TokenRequest, request: Request, db: DbDep,
                      settings: SettingsDep) -> TokenReply:
    throttle: LoginThrottle = request.app.state.login_throttle
    address = client_address(request)
    request.state.actor = body.username
    # The throttle counts in the database: in the thread pool, like the login itself.
    await run_in_threadpool(throttle.admit, body.username, address)
    reply = await run_in_threadpool(_login, db, body, settings.token_ttl)
    if reply is None:
        await asyncio.sleep(await run_in_threadpool(throttle.failed, body.username, address))
        raise ApiError(401, "invalid_credentials", "Unknown user or wrong password.")
    await run_in_threadpool(throttle.succeeded, body.username)
    return reply


@router.post("/auth/logout", response_model=LogoutReply)
def logout(user: CurrentUser, request: Request, db: DbDep) -> LogoutReply:
    """Revoke the token this request carries; the user's other tokens stay valid."""
    with db.writer() as session:
        result = session.execute(delete(AccessToken).where(
            AccessToken.token_hash == request.state.token_hash,
            AccessToken.username == user.username))
    return LogoutReply(revoked=int(getattr(result, "rowcount", 0) or 0))


@router.get("/me", response_model=MeReply)
def me(user: CurrentUser, db: DbDep) -> MeReply:
    queues: list[str] = []
    if "reviewer" in user.roles:  # the queues this reviewer may lease
        with db.session() as session:
            queues = [name for name in session.scalars(select(Queue.name).order_by(Queue.name))
                      if may_lease(session, name, user.teams)]
    return MeReply(user=user, queues=queues)
