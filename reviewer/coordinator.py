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
from urllib.parse import quote

from pydantic import ValidationError

from reviewer.api import ApiClient
from reviewer.errors import RequestRejected
from reviewer.protocol import (
    EffectivePolicy,
    PolicyChanges,
    WellnessPolicies,
    WellnessPolicy,
    WellnessPolicyPut,
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


class _LayerPut(WellnessPolicyPut):
    """Sends only the fields the scope sets, so the layer says nothing about the rest."""

    def model_dump_json(self, **kwargs: Any) -> str:  # type: ignore[override]
        return super().model_dump_json(exclude_unset=True)


class CoordinatorService:
    """What the wellness console may ask the server; never content."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def policies(self) -> WellnessPolicies:
        return self._api._call(WellnessPolicies, "GET", "/wellness/policies")

    def policy(self, scope: str) -> WellnessPolicyStored:
        return self._api._call(WellnessPolicyStored, "GET", _scope_path(scope))

    def save_policy(self, scope: str, settings: Mapping[str, Any]) -> WellnessPolicyStored:
        """Store what `scope` sets (field -> value); the others stay unset for this layer."""
        policy = check_policy(settings)
        try:
            return self._api._call(WellnessPolicyStored, "PUT", _scope_path(scope),
                                   body=_LayerPut(policy=policy))
        except RequestRejected as exc:
            if exc.status == 422:
                raise PolicyRejected(exc.message, field_errors(exc.message)) from exc
            raise

    def delete_policy(self, scope: str) -> None:
        self._api._request("DELETE", _scope_path(scope))

    def changes(self, scope: str | None = None, limit: int = 200) -> PolicyChanges:
        params: dict[str, Any] = {"limit": limit}
        if scope:
            params["scope"] = scope
        return self._api._call(PolicyChanges, "GET", "/wellness/policy-changes", params=params)

    def effective(self, username: str) -> EffectivePolicy:
        return self._api._call(EffectivePolicy, "GET",
                               f"/wellness/effective/{quote(username, safe='')}")

    def summary(self, days: int = 7, until: date | None = None,
                team: str | None = None) -> WellnessSummary:
        params: dict[str, Any] = {"days": days}
        if until is not None:
            params["until"] = until.isoformat()
        if team:
            params["team"] = team
        return self._api._call(WellnessSummary, "GET", "/wellness/summary", params=params)

    def reviewer_days(self, reviewer: str, since: date, until: date) -> WellnessReport:
        params = {"reviewer": reviewer, "since": since.isoformat(), "until": until.isoformat()}
        return self._api._call(WellnessReport, "GET", "/wellness/report", params=params)


def _scope_path(scope: str) -> str:
    return f"/wellness/policies/{quote(scope, safe=':')}"
