"""User accounts, for the CLI, seeding and `reviewer demo` (which sets a fresh demo
password on every run so no password is ever stored in a file).

Every password set here passes the policy (`server.passwords`); changing a password or
disabling a user revokes all of that user's tokens in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reviewer.protocol import ROLES, UserPublic
from server.db import Database
from server.models import AccessToken, User, utcnow
from server.passwords import WeakPassword, check_password
from server.security import hash_password


class AccountError(ValueError):
    """A user cannot be created or changed as asked."""


@dataclass(frozen=True)
class AccountRow:
    """One line of `user list`: never the password hash."""

    username: str
    roles: list[str]
    teams: list[str]
    disabled: bool
    created_at: datetime
    tokens: int


def _check_roles(roles: Iterable[str]) -> list[str]:
    checked = sorted(set(roles))
    unknown = set(checked) - set(ROLES)
    if not checked or unknown:
        raise AccountError(f"roles must be among {', '.join(ROLES)}; got {sorted(unknown)}")
    return checked


def _hash_checked(username: str, password: str) -> str:
    if not password:
        raise AccountError("the password must not be empty")
    try:
        check_password(password, username)
    except WeakPassword as exc:
        raise AccountError(str(exc)) from None
    return hash_password(password)  # slow on purpose: before the write transaction


def revoke_tokens(session: Session, username: str) -> int:
    """Delete every token of `username`; return how many there were."""
    result = session.execute(delete(AccessToken).where(AccessToken.username == username))
    return int(getattr(result, "rowcount", 0) or 0)


def create_user(db_url: str, username: str, password: str, roles: Iterable[str],
                teams: Iterable[str] = ()) -> UserPublic:
    public = UserPublic(username=username, roles=_check_roles(roles), teams=sorted(set(teams)))
    hashed = _hash_checked(username, password)
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


def _change(db_url: str, username: str, change: str, hashed: str = "") -> int:
    """Apply `change` (`passwd`, `disable`, `enable`) to a user; return tokens revoked."""
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        with db.writer() as session:
            user = session.get(User, username)
            if user is None:
                raise AccountError(f"no user {username!r}")
            if change == "enable":
                user.disabled_at = None
                return 0
            if change == "passwd":
                user.password_hash = hashed
            else:
                user.disabled_at = user.disabled_at or utcnow()
            return revoke_tokens(session, username)
    finally:
        db.dispose()


def set_password(db_url: str, username: str, password: str) -> int:
    """Set a new password and revoke the user's tokens; return how many were revoked."""
    return _change(db_url, username, "passwd", _hash_checked(username, password))


def disable_user(db_url: str, username: str) -> int:
    """Refuse the user's logins and revoke their tokens; return how many were revoked."""
    return _change(db_url, username, "disable")


def enable_user(db_url: str, username: str) -> None:
    _change(db_url, username, "enable")


def list_users(db_url: str) -> list[AccountRow]:
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        with db.session() as session:
            now = utcnow()
            counts: dict[str, int] = {}
            for name in session.scalars(
                    select(AccessToken.username).where(AccessToken.expires_at > now)):
                counts[name] = counts.get(name, 0) + 1
            return [AccountRow(u.username, list(u.roles), list(u.teams),
                               u.disabled_at is not None, u.created_at,
                               counts.get(u.username, 0))
                    for u in session.scalars(select(User).order_by(User.username))]
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
