"""User accounts, for the CLI, seeding and `reviewer demo` (which sets a fresh demo
password on every run so no password is ever stored in a file).
"""

from __future__ import annotations

from collections.abc import Iterable

from reviewer.protocol import ROLES, UserPublic
from server.db import Database
from server.models import User
from server.security import hash_password


class AccountError(ValueError):
    """A user cannot be created or changed as asked."""


def _check_roles(roles: Iterable[str]) -> list[str]:
    checked = sorted(set(roles))
    unknown = set(checked) - set(ROLES)
    if not checked or unknown:
        raise AccountError(f"roles must be among {', '.join(ROLES)}; got {sorted(unknown)}")
    return checked


def create_user(db_url: str, username: str, password: str, roles: Iterable[str],
                teams: Iterable[str] = ()) -> UserPublic:
    public = UserPublic(username=username, roles=_check_roles(roles), teams=sorted(set(teams)))
    if not password:
        raise AccountError("the password must not be empty")
    hashed = hash_password(password)  # slow on purpose: before the write transaction
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        with db.writer() as session:
            if session.get(User, username) is not None:
                raise AccountError(f"user {username!r} already exists")
            session.add(User(username=username, password_hash=hashed,
                             roles=list(public.roles), teams=list(public.teams)))
    finally:
        db.dispose()
    return public


def set_password(db_url: str, username: str, password: str) -> None:
    if not password:
        raise AccountError("the password must not be empty")
    hashed = hash_password(password)
    db = Database(db_url, strict=True)
    try:
        with db.writer() as session:
            user = session.get(User, username)
            if user is None:
                raise AccountError(f"no user {username!r}")
            user.password_hash = hashed
    finally:
        db.dispose()


def user_exists(db_url: str, username: str) -> bool:
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        with db.session() as session:
            return session.get(User, username) is not None
    finally:
        db.dispose()
