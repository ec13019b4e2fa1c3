"""The wellness coordinator's routes of the API client (a part of `ApiClient`, kept in its
own file): policies per scope, their audit trail, a reviewer's effective policy and the
reports. None of them carries content."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

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


class _LayerPut(WellnessPolicyPut):
    """Sends only the fields the scope sets, so the layer says nothing about the rest."""

    def model_dump_json(self, **kwargs: Any) -> str:  # type: ignore[override]
        return super().model_dump_json(exclude_unset=True)


def _scope_path(scope: str) -> str:
    return f"/wellness/policies/{quote(scope, safe=':')}"


class WellnessRoutes:
    """Mixed into `ApiClient`, whose `_call`/`_request` these use."""

    def _call(self, model: type[Any], method: str, path: str, **kwargs: Any) -> Any: ...
    def _request(self, method: str, path: str, *, body: BaseModel | None = None,
                 params: dict[str, Any] | None = None) -> Any: ...

    def wellness_policies(self) -> WellnessPolicies:
        return self._call(WellnessPolicies, "GET", "/wellness/policies")

    def wellness_policy(self, scope: str) -> WellnessPolicyStored:
        return self._call(WellnessPolicyStored, "GET", _scope_path(scope))

    def put_wellness_policy(self, scope: str, policy: WellnessPolicy) -> WellnessPolicyStored:
        """PUT /wellness/policies/{scope} (`default`, `team:x`, `user:x`): the fields the
        policy was given are what that layer sets."""
        return self._call(WellnessPolicyStored, "PUT", _scope_path(scope),
                          body=_LayerPut(policy=policy))

    def delete_wellness_policy(self, scope: str) -> None:
        self._request("DELETE", _scope_path(scope))

    def wellness_policy_changes(self, scope: str | None, limit: int) -> PolicyChanges:
        params: dict[str, Any] = {"limit": limit, **({"scope": scope} if scope else {})}
        return self._call(PolicyChanges, "GET", "/wellness/policy-changes", params=params)

    def wellness_effective(self, username: str) -> EffectivePolicy:
        return self._call(EffectivePolicy, "GET",
                          f"/wellness/effective/{quote(username, safe='')}")

    def wellness_summary(self, days: int, until: date | None,
                         team: str | None) -> WellnessSummary:
        params: dict[str, Any] = {"days": days}
        if until is not None:
            params["until"] = until.isoformat()
        if team:
            params["team"] = team
        return self._call(WellnessSummary, "GET", "/wellness/summary", params=params)

    def wellness_report(self, reviewer: str, since: date, until: date) -> WellnessReport:
        params = {"reviewer": reviewer, "since": since.isoformat(), "until": until.isoformat()}
        return self._call(WellnessReport, "GET", "/wellness/report", params=params)
