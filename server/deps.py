"""Request dependencies: the database, the settings, the caller and their role.

Role checks live here and show in each route's signature (`ReviewerUser`, `QALead`, ...):
401 for a missing, unknown or expired token, 403 for a caller without the role.
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
    db: DbDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> UserPublic:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "A bearer token is required.", _CHALLENGE)
    with db.session() as session:
        token = session.get(AccessToken, token_hash(credentials.credentials))
        if token is None:
            raise ApiError(401, "invalid_token", "The token is not known.", _CHALLENGE)
        if token.expires_at <= utcnow():
            raise ApiError(401, "token_expired", "The token has expired; log in again.",
                           _CHALLENGE)
        user = session.get(User, token.username)
        if user is None:
            raise ApiError(401, "invalid_token", "The token's user no longer exists.",
                           _CHALLENGE)
        return UserPublic(username=user.username, roles=user.roles, teams=user.teams)


CurrentUser = Annotated[UserPublic, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[UserPublic], UserPublic]:
    """A dependency that lets through callers holding at least one of `roles`."""

    def check(user: CurrentUser) -> UserPublic:
        if not set(user.roles) & set(roles):
            raise ApiError(403, "forbidden", f"This needs the role {' or '.join(roles)}.")
        return user

    return check


ReviewerUser = Annotated[UserPublic, Depends(require_roles("reviewer"))]
ReviewerOrQA = Annotated[UserPublic, Depends(require_roles("reviewer", "qa_lead"))]
QALead = Annotated[UserPublic, Depends(require_roles("qa_lead"))]
WellnessUser = Annotated[UserPublic, Depends(require_roles("wellness"))]
AdminUser = Annotated[UserPublic, Depends(require_roles("admin"))]
