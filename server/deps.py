"""Request dependencies: the database, the settings, the caller and their role.

Role checks live here and show in each route's signature (`ReviewerUser`, `QALead`, ...):
401 for a missing, unknown, revoked or expired token or a disabled user, 403 for a caller
without the role. The caller's name and token hash are left on `request.state` for the
audit log (`server.audit`) and for logout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select

from reviewer.protocol import Role, UserPublic
from server.config import ServerSettings
from server.db import Database
from server.errors import ApiError
from server.models import AccessToken, User, utcnow
from server.security import token_hash

_bearer = HTTPBearer(auto_error=False)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


# The cheap dependencies are coroutines: FastAPI runs a plain function in the threadpool,
# a hop (and a wait for the GIL) per dependency per request.
async def get_db(request: Request) -> Database:
    return request.app.state.db


async def get_settings(request: Request) -> ServerSettings:
    return request.app.state.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]

# Built once: a statement made per request costs its construction and cache key again on
# every request (SQLAlchemy memoizes both on the statement object).
_CALLER = (select(AccessToken.username, AccessToken.expires_at, User.username, User.roles,
                  User.teams, User.disabled_at)
           .join(User, User.username == AccessToken.username, isouter=True)
           .where(AccessToken.token_hash == bindparam("hashed")))


_Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _caller(request: Request, credentials: HTTPAuthorizationCredentials | None) -> UserPublic:
    """The caller, from one indexed lookup of the token's sha256 (no argon2 per request)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "A bearer token is required.", _CHALLENGE)
    hashed = token_hash(credentials.credentials)
    db: Database = request.app.state.db
    with db.statement() as conn:
        row = conn.execute(_CALLER, {"hashed": hashed}).first()
    if row is None:
        raise ApiError(401, "invalid_token", "The token is not known or was revoked.",
                       _CHALLENGE)
    holder, expires_at, username, roles, teams, disabled_at = row
    request.state.actor = holder
    if expires_at <= utcnow():
        raise ApiError(401, "token_expired", "The token has expired; log in again.",
                       _CHALLENGE)
    if username is None or disabled_at is not None:
        raise ApiError(401, "invalid_token", "The token's user is disabled or gone.",
                       _CHALLENGE)
    request.state.token_hash = hashed
    return UserPublic(username=username, roles=roles, teams=teams)


def current_user(request: Request, credentials: _Credentials) -> UserPublic:
    return _caller(request, credentials)


CurrentUser = Annotated[UserPublic, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[..., UserPublic]:
    """A dependency that lets through callers holding at least one of `roles`: the token
    lookup and the role check in one dependency (one threadpool hop, and fewer for
    FastAPI to solve on every request)."""

    def check(request: Request, credentials: _Credentials) -> UserPublic:
        user = _caller(request, credentials)
        if not set(user.roles) & set(roles):
            raise ApiError(403, "forbidden", f"This needs the role {' or '.join(roles)}.")
        return user

    return check


# A senior reviews the escalation tier: a reviewer too, wherever a reviewer may go (which
# queues each may lease is `server.access`'s rule).
ReviewerUser = Annotated[UserPublic, Depends(require_roles("reviewer", "senior"))]
ReviewerOrQA = Annotated[UserPublic, Depends(require_roles("reviewer", "senior", "qa_lead"))]
QALead = Annotated[UserPublic, Depends(require_roles("qa_lead"))]
WellnessUser = Annotated[UserPublic, Depends(require_roles("wellness"))]
AdminUser = Annotated[UserPublic, Depends(require_roles("admin"))]
