"""The wellness coordinator's service: policies, their audit trail, effective policies and
the exposure report, over the API and nothing else.

Built from an `ApiClient` alone: no store, no media vault, no media download, so the
coordinator's workspace cannot show content by construction (invariant 7). Every method
may block on the network: never call one on the GUI thread.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from reviewer.api import ApiClient
from reviewer.errors import RequestRejected
from reviewer.protocol import (
    EffectivePolicy,
    PolicyChanges,
    WellnessPolicies,
    WellnessPolicy,
    WellnessPolicyStored,
    WellnessReport,
    WellnessSummary,
)

_FIELD_ERROR = re.compile(r"^(?:body\.)?policy\.([A-Za-z0-9_.\-]+):\s*(.+)$")


class PolicyRejected(RequestRejected):
    """A policy the server (or the local check) refused; `.fields` maps a field name
    (`reveal_timeout_s`, `blur_by_severity.1`, `scope`) to what is wrong with it."""

    def __init__(self, message: str, fields: Mapping[str, str]) -> None:
        super().__init__(message, status=422, code="validation_error")
        self.fields = dict(fields)


def field_errors(detail: str) -> dict[str, str]:
    """`body.policy.reveal_timeout_s: Input should be ...; scope: ...` as {field: message}."""
    found: dict[str, str] = {}
    for part in detail.split("; "):
        match = _FIELD_ERROR.match(part.strip())
        if match:
            found[match.group(1)] = match.group(2)
        elif part.startswith("scope:"):
            found["scope"] = part.removeprefix("scope:").strip()
    return found


def check_policy(settings: Mapping[str, Any]) -> WellnessPolicy:
    """Validate what a scope sets, as the server will; raises PolicyRejected."""
    try:
        return WellnessPolicy.model_validate(dict(settings))
    except ValidationError as exc:
        fields = {".".join(str(p) for p in error["loc"]): error["msg"] for error in exc.errors()}
        raise PolicyRejected("Some values of this policy are not valid.", fields) from exc


class CoordinatorService:
    """What the wellness console may ask the server; never content."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def policies(self) -> WellnessPolicies:
        return self._api.wellness_policies()

    def policy(self, scope: str) -> WellnessPolicyStored:
        return self._api.wellness_policy(scope)

    def save_policy(self, scope: str, settings: Mapping[str, Any]) -> WellnessPolicyStored:
        """Store what `scope` sets (field -> value); the others stay unset for this layer."""
        policy = check_policy(settings)
        try:
            return self._api.put_wellness_policy(scope, policy)
        except RequestRejected as exc:
            if exc.status == 422:
                raise PolicyRejected(exc.message, field_errors(exc.message)) from exc
            raise

    def delete_policy(self, scope: str) -> None:
        self._api.delete_wellness_policy(scope)

    def changes(self, scope: str | None = None, limit: int = 200) -> PolicyChanges:
        return self._api.wellness_policy_changes(scope, limit)

    def effective(self, username: str) -> EffectivePolicy:
        return self._api.wellness_effective(username)

    def summary(self, days: int = 7, until: date | None = None,
                team: str | None = None) -> WellnessSummary:
        return self._api.wellness_summary(days, until, team)

    def reviewer_days(self, reviewer: str, since: date, until: date) -> WellnessReport:
        return self._api.wellness_report(reviewer, since, until)

