"""Wellness policies over HTTP: list, read, write, delete, audit, effective, validation."""

from __future__ import annotations

from server_harness import Harness


def test_policy_round_trip_delete_and_audit(harness: Harness) -> None:
    h = harness
    coordinator = h.user("coord", "wellness")
    alice = h.user("alice", "reviewer", teams=("vendor-a",))
    assert h.http.get("/wellness/policies", headers=coordinator).json() == {"data": [],
                                                                            "count": 0}
    assert h.http.get("/wellness/policies/default", headers=coordinator).status_code == 404

    put = h.http.put("/wellness/policies/team:vendor-a", headers=coordinator,
                     json={"policy": {"daily_reveal_seconds_cap": 300,
                                      "blur_by_severity": ["light", "medium", "heavy", "warning"]}})
    assert put.status_code == 200, put.text
    read = h.http.get("/wellness/policies/team:vendor-a", headers=coordinator).json()
    assert read["set_fields"] == ["blur_by_severity", "daily_reveal_seconds_cap"]
    assert read["policy"]["daily_reveal_seconds_cap"] == 300
    assert read["policy"]["blur_by_severity"] == ["light", "medium", "heavy", "warning"]
    assert read["updated_by"] == "coord"
    h.http.put("/wellness/policies/team:vendor-a", headers=coordinator,
               json={"policy": {"daily_reveal_seconds_cap": 200}})
    listed = h.http.get("/wellness/policies", headers=coordinator).json()
    assert [p["scope"] for p in listed["data"]] == ["team:vendor-a"]
    assert listed["data"][0]["set_fields"] == ["daily_reveal_seconds_cap"]

    mine = h.http.get("/policy", headers=alice).json()
    assert mine["wellness"]["daily_reveal_seconds_cap"] == 200
    assert mine["sources"]["daily_reveal_seconds_cap"] == "team:vendor-a"
    assert mine["sources"]["reveal_timeout_s"] == "built-in"
    assert mine["time_zone"] == "UTC"

    assert h.http.delete("/wellness/policies/team:vendor-a", headers=coordinator
                         ).status_code == 204
    assert h.http.get("/wellness/policies/team:vendor-a", headers=coordinator).status_code == 404
    assert h.http.delete("/wellness/policies/team:vendor-a", headers=coordinator
                         ).status_code == 404
    assert h.http.get("/policy", headers=alice).json()["wellness"][
        "daily_reveal_seconds_cap"] == 900

    changes = h.http.get("/wellness/policy-changes", headers=coordinator).json()["data"]
    assert [(c["who"], c["scope"]) for c in changes] == [("coord", "team:vendor-a")] * 3
    deleted, edited, created = changes  # newest first
    assert created["before"] is None and created["after"]["daily_reveal_seconds_cap"] == 300
    assert edited["before"] == created["after"]
    assert edited["after"] == {"daily_reveal_seconds_cap": 200}
    assert deleted["before"] == edited["after"] and deleted["after"] is None
    assert h.http.get("/wellness/policy-changes", headers=alice).status_code == 403
    assert h.http.put("/wellness/policies/default", headers=alice,
                      json={"policy": {}}).status_code == 403


def test_policy_422_detail_names_the_field(harness: Harness) -> None:
    h = harness
    coordinator = h.user("coord", "wellness")
    cases = [
        ({"reveal_timeout_s": 500}, "policy.reveal_timeout_s", "less than or equal to 120"),
        ({"daily_item_cap": -1}, "policy.daily_item_cap", "greater than or equal to 0"),
        ({"blur_by_severity": ["none", "soft", "medium", "heavy"]}, "policy.blur_by_severity.1",
         "'warning'"),
        ({"categories": {"gore": {"blur": "heavy", "colour": True}}},
         "policy.categories.gore.colour", "Extra inputs"),
        ({"blur": 3}, "policy.blur", "Extra inputs"),
    ]
    for policy, location, message in cases:
        reply = h.http.put("/wellness/policies/default", headers=coordinator,
                           json={"policy": policy})
        assert reply.status_code == 422, policy
        detail = reply.json()["detail"]
        assert location in detail and message in detail, detail
    bad_scope = h.http.put("/wellness/policies/squad:a", headers=coordinator,
                           json={"policy": {}})
    assert bad_scope.status_code == 422 and bad_scope.json()["detail"].startswith("scope:")
    nobody = h.http.put("/wellness/policies/user:nobody", headers=coordinator,
                        json={"policy": {}})
    assert nobody.status_code == 422 and "nobody" in nobody.json()["detail"]
    assert h.http.get("/wellness/policies", headers=coordinator).json()["count"] == 0


def test_effective_policy_is_strictest_and_names_each_source(harness: Harness) -> None:
    h = harness
    coordinator = h.user("coord", "wellness")
    h.user("alice", "reviewer", teams=("vendor-a", "night"))
    for scope, policy in (
            ("default", {"daily_reveal_seconds_cap": 1200, "reveal_timeout_s": 30}),
            ("team:vendor-a", {"daily_reveal_seconds_cap": 600, "reveal_timeout_s": 60}),
            ("team:night", {"blur_by_severity": ["medium", "heavy", "heavy", "heavy"],
                            "daily_reveal_seconds_cap": 900}),
            ("user:alice", {"greyscale": False, "pixelate": True})):
        assert h.http.put(f"/wellness/policies/{scope}", headers=coordinator,
                          json={"policy": policy}).status_code == 200
    effective = h.http.get("/wellness/effective/alice", headers=coordinator).json()
    policy, sources = effective["policy"], effective["sources"]
    assert (policy["daily_reveal_seconds_cap"], sources["daily_reveal_seconds_cap"]) == (
        600, "team:vendor-a")
    assert (policy["reveal_timeout_s"], sources["reveal_timeout_s"]) == (30, "default")
    assert policy["blur_by_severity"] == ["medium", "heavy", "heavy", "heavy"]
    assert sources["blur_by_severity.1"] == "team:night"
    assert sources["blur_by_severity.3"] == "built-in"  # heavy already
    assert (policy["greyscale"], sources["greyscale"]) == (True, "built-in")  # cannot loosen
    assert (policy["pixelate"], sources["pixelate"]) == (True, "user:alice")
    assert effective["teams"] == ["vendor-a", "night"]
    assert h.http.get("/wellness/effective/nobody", headers=coordinator).status_code == 404
