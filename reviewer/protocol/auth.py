"""Logging in and asking who you are."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from reviewer.protocol.base import Name, Role, WireModel


class TokenRequest(WireModel):
    username: Name
    password: Annotated[str, Field(min_length=1, max_length=256)]


class UserPublic(WireModel):
    username: Name
    roles: Annotated[list[Role], Field(max_length=4)]
    teams: Annotated[list[Name], Field(max_length=32)] = []


class TokenReply(WireModel):
    access_token: Annotated[str, Field(min_length=16, max_length=256)]
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: UserPublic


class MeReply(WireModel):
    user: UserPublic
    queues: Annotated[list[Name], Field(max_length=1000)]


class LogoutReply(WireModel):
    """`POST /auth/logout`: the caller's token is revoked (a second logout is a 401)."""

    revoked: Annotated[int, Field(ge=0)]
