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

from reviewer.protocol import Role, UserPublic
from server.config import ServerSettings
from server.db import Database
from server.errors import ApiError
from server.models import AccessToken, User, utcnow
from server.security import token_hash

_bearer = HTTPBearer(auto_error=False)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> ServerSettings:
    return request.app.state.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]


def current_user(
    request: Request,
    db: DbDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> UserPublic:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "A bearer token is required.", _CHALLENGE)
    hashed = token_hash(credentials.credentials)
    with db.session() as session:
        token = session.get(AccessToken, hashed)
        if token is None:
            raise ApiError(401, "invalid_token", "The token is not known or was revoked.",
                           _CHALLENGE)
        request.state.actor = token.username
        if token.expires_at <= utcnow():
            raise ApiError(401, "token_expired", "The token has expired; log in again.",
                           _CHALLENGE)
        user = session.get(User, token.username)
        if user is None or user.disabled_at is not None:
            raise ApiError(401, "invalid_token", "The token's user is disabled or gone.",
                           _CHALLENGE)
        request.state.token_hash = hashed
        return UserPublic(username=user.username, roles=user.roles, teams=user.teams)


CurrentUser = Annotated[UserPublic, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[UserPublic], UserPublic]:
    """A dependency that lets through callers holding at least one of `roles`."""

    def check(user: CurrentUser) -> UserPublic:
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
