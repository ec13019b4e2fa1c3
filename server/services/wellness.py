"""Wellness policies by scope (`default`, `team:<name>`, `user:<name>`), combined strictest
wins (`reviewer.protocol`, policy layers), and their audit trail. Never any content.

A stored policy holds only the fields its scope sets, so a team policy that sets a cap
says nothing about blur. Every change is written to the audit table in the same
transaction as the change itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer.protocol import (
    DEFAULT_SCOPE,
    EffectivePolicy,
    EffectivePolicyLayers,
    PolicyChange,
    PolicyChanges,
    PolicyLayer,
    UserPublic,
    WellnessPolicies,
    WellnessPolicy,
    WellnessPolicyStored,
    merge_policy_layers,
)
from server.errors import ApiError
from server.models import PolicyChangeRecord, PolicyRecord, User, utcnow

_SCOPE = re.compile(r"^(default|(team|user):[A-Za-z0-9_.\-]{1,64})$")
MAX_CHANGES = 1000


def check_scope(scope: str) -> str:
    if not _SCOPE.match(scope):
        raise ApiError(422, "invalid_scope",
                       "scope: a scope is `default`, `team:<name>` or `user:<name>`.")
    return scope


def scopes_of(username: str, teams: list[str]) -> list[str]:
    """The scopes that apply to a reviewer, loosest first."""
    return [DEFAULT_SCOPE, *(f"team:{team}" for team in teams), f"user:{username}"]


def merge_stored(stored: Mapping[str, Mapping[str, Any]], username: str,
                 teams: list[str]) -> EffectivePolicyLayers:
    """The effective policy of a reviewer from `stored` (scope -> the fields it sets)."""
    default = stored.get(DEFAULT_SCOPE)
    tighter = [PolicyLayer(scope, stored[scope]) for scope in scopes_of(username, teams)[1:]
               if scope in stored]
    base = PolicyLayer(DEFAULT_SCOPE, default) if default is not None else None
    return merge_policy_layers(base, tighter)


def effective_for(session: Session, username: str,
                  teams: list[str]) -> tuple[EffectivePolicyLayers, str]:
    """The policy in force and the most specific scope that has a policy for the caller."""
    scopes = scopes_of(username, teams)
    records = session.scalars(select(PolicyRecord).where(PolicyRecord.scope.in_(scopes)))
    stored = {record.scope: record.policy for record in records}
    most_specific = next((s for s in reversed(scopes) if s in stored), DEFAULT_SCOPE)
    return merge_stored(stored, username, teams), most_specific


def policy_for(session: Session, user: UserPublic) -> tuple[WellnessPolicy, str]:
    """The policy in force for `user` and the most specific scope that shaped it."""
    effective, scope = effective_for(session, user.username, user.teams)
    return effective.policy, scope


def effective_of(session: Session, username: str, time_zone: str) -> EffectivePolicy:
    user = session.get(User, username)
    if user is None:
        raise ApiError(404, "not_found", f"There is no user named {username}.")
    effective, _scope = effective_for(session, user.username, list(user.teams))
    return EffectivePolicy(username=user.username, teams=user.teams, policy=effective.policy,
                           sources=effective.sources, time_zone=time_zone)


def _wire(record: PolicyRecord) -> WellnessPolicyStored:
    return WellnessPolicyStored(
        scope=record.scope, policy=WellnessPolicy.model_validate(record.policy),
        set_fields=sorted(record.policy), updated_at=record.updated_at,
        updated_by=record.updated_by)


def list_policies(session: Session) -> WellnessPolicies:
    records = session.scalars(select(PolicyRecord).order_by(PolicyRecord.scope)).all()
    return WellnessPolicies(data=[_wire(r) for r in records], count=len(records))


def read_policy(session: Session, scope: str) -> WellnessPolicyStored:
    record = session.get(PolicyRecord, check_scope(scope))
    if record is None:
        raise ApiError(404, "not_found", f"No policy is stored for {scope}.")
    return _wire(record)


def _check_target(session: Session, scope: str) -> None:
    if scope.startswith("user:") and session.get(User, scope[5:]) is None:
        raise ApiError(422, "invalid_scope", f"scope: there is no user named {scope[5:]}.")


def store_policy(session: Session, scope: str, policy: WellnessPolicy,
                 who: str = "") -> WellnessPolicyStored:
    """Store what `policy` sets for `scope` (its unset fields stay out of the layer)."""
    _check_target(session, check_scope(scope))
    settings = policy.model_dump(mode="json", exclude_unset=True)
    record = session.get(PolicyRecord, scope)
    before = dict(record.policy) if record is not None else None
    if record is None:
        record = PolicyRecord(scope=scope, policy=settings, updated_by=who or None)
        session.add(record)
    else:
        record.policy, record.updated_by, record.updated_at = settings, who or None, utcnow()
    session.add(PolicyChangeRecord(who=who or "?", scope=scope, before=before, after=settings))
    session.flush()
    return _wire(record)


def delete_policy(session: Session, scope: str, who: str) -> None:
    record = session.get(PolicyRecord, check_scope(scope))
    if record is None:
        raise ApiError(404, "not_found", f"No policy is stored for {scope}.")
    session.add(PolicyChangeRecord(who=who, scope=scope, before=dict(record.policy), after=None))
    session.delete(record)


def policy_changes(session: Session, scope: str | None, limit: int) -> PolicyChanges:
    """The newest changes first, of one scope or all."""
    query = select(PolicyChangeRecord).order_by(PolicyChangeRecord.id.desc())
    if scope:
        query = query.where(PolicyChangeRecord.scope == check_scope(scope))
    records = session.scalars(query.limit(min(limit, MAX_CHANGES))).all()
    data = [PolicyChange(at=r.at, who=r.who, scope=r.scope, before=r.before, after=r.after)
            for r in records]
    return PolicyChanges(data=data, count=len(data))
