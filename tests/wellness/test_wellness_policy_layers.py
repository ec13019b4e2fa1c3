"""Strictest wins over default, teams, the reviewer's scope and their preferences."""

from __future__ import annotations

from typing import Any

import pytest

from reviewer.protocol import (
    BUILT_IN,
    COMPOUND,
    PREFERENCES,
    STRICTER,
    PolicyLayer,
    WellnessPolicy,
)
from reviewer.protocol import merge_policy_layers as merge
from reviewer.protocol import tighten_policy as tighten

D, T, U = "default", "team:a", "user:alice"

# (field, default's value, team's value, user's value, expected value, expected source)
TABLE: list[tuple[str, Any, Any, Any, Any, str]] = [
    ("daily_reveal_seconds_cap", 600, 300, 120, 120, U),
    ("daily_reveal_seconds_cap", 600, 300, 900, 300, T),  # the user's looser cap is ignored
    ("daily_reveal_seconds_cap", 1200, 1500, 1800, 1200, D),  # default may loosen built-in
    ("daily_item_cap", 500, 0, 100, 0, T),  # 0 items is the tightest cap
    ("max_reveals_per_item", 5, 3, 4, 3, T),
    ("reveal_timeout_s", 30.0, 20.0, 5.0, 5.0, U),
    ("blur_sigma_pct", 3.0, 2.0, 6.0, 6.0, U),
    ("severity3_blur_factor", 2.0, 1.0, 1.5, 2.0, D),
    ("greyscale", False, True, False, True, T),
    ("pixelate", False, False, True, True, U),
    ("mute_audio", True, False, False, True, D),  # the default set it, as built-in
    ("autoplay", True, False, True, False, T),
    ("reveal_enabled", True, True, False, False, U),
    ("break_every_minutes", 60, 0, 45, 45, U),  # 0 (no breaks) never tightens
    ("break_every_minutes", 0, 90, 120, 90, T),  # any breaks beat none
    ("break_length_minutes", 10, 15, 5, 15, T),
    ("break_activity", False, True, False, True, T),  # not a protection: on wins
    ("break_activity", True, False, False, True, D),  # a team cannot withdraw it
]
# (team's value, user's value, expected value, expected source): no default policy stored
UNSET: list[tuple[str, Any, Any, Any, str]] = [
    ("reveal_timeout_s", 10.0, 12.0, 10.0, BUILT_IN),  # the team's equal value changes nothing
    ("mute_audio", False, False, True, BUILT_IN),
    ("daily_item_cap", 2500, 1500, 1500, U),
    ("break_activity", False, True, True, U),
]


@pytest.mark.parametrize(("name", "default", "team", "user", "value", "source"), TABLE)
def test_strictest_value_wins_and_names_its_scope(name: str, default: Any, team: Any,
                                                   user: Any, value: Any, source: str) -> None:
    effective = merge(PolicyLayer(D, {name: default}),
                      [PolicyLayer(T, {name: team}), PolicyLayer(U, {name: user})])
    assert getattr(effective.policy, name) == value
    assert effective.sources[name] == source


@pytest.mark.parametrize(("name", "team", "user", "value", "source"), UNSET)
def test_without_a_default_scope_the_built_in_values_are_the_base(
        name: str, team: Any, user: Any, value: Any, source: str) -> None:
    effective = merge(None, [PolicyLayer(T, {name: team}), PolicyLayer(U, {name: user})])
    assert (getattr(effective.policy, name), effective.sources[name]) == (value, source)


def test_every_policy_field_has_a_rule_for_stricter() -> None:
    assert set(WellnessPolicy.model_fields) == set(STRICTER) | set(COMPOUND)


def test_a_layer_only_speaks_for_the_fields_it_sets() -> None:
    default = PolicyLayer(D, {"reveal_timeout_s": 30.0, "daily_reveal_seconds_cap": 1200})
    team = PolicyLayer.of(T, WellnessPolicy.model_validate({"daily_reveal_seconds_cap": 300}))
    effective = merge(default, [team])
    # the team's policy carries the built-in 10 s timeout but never set it
    assert effective.policy.reveal_timeout_s == 30.0
    assert effective.sources["reveal_timeout_s"] == D
    assert effective.policy.daily_reveal_seconds_cap == 300


def test_no_layers_is_the_built_in_policy() -> None:
    effective = merge(None)
    assert effective.policy == WellnessPolicy()
    assert set(effective.sources.values()) == {BUILT_IN}


def test_blur_ladder_tightens_per_severity() -> None:
    effective = merge(PolicyLayer(D, {"blur_by_severity": ["none", "light", "medium", "heavy"]}),
                      [PolicyLayer(T, {"blur_by_severity": ["light", "none", "heavy", "medium"]}),
                       PolicyLayer(U, {"blur_by_severity": ["none", "none", "none", "warning"]})])
    assert effective.policy.blur_by_severity == ["light", "light", "heavy", "warning"]
    assert [effective.sources[f"blur_by_severity.{n}"] for n in range(4)] == [T, D, T, U]


def test_category_rules_combine_by_adding_protection() -> None:
    effective = merge(
        PolicyLayer(D, {"categories": {"gore": {"blur": "heavy"}}}),
        [PolicyLayer(T, {"categories": {"gore": {"blur": "light", "greyscale": True},
                                        "spam": {"pixelate": True}}})])
    gore, spam = effective.policy.categories["gore"], effective.policy.categories["spam"]
    assert (gore.blur, gore.greyscale, gore.pixelate) == ("heavy", True, False)
    assert (spam.blur, spam.pixelate) == ("none", True)
    assert effective.sources["categories.gore"] == T
    assert effective.sources["categories.spam"] == T


@pytest.mark.parametrize(("preference", "expected"), [
    ({"reveal_timeout_s": 5.0}, 5.0),  # shorter: kept
    ({"reveal_timeout_s": 60.0}, 20.0),  # longer than the policy: ignored
])
def test_preferences_only_tighten(preference: dict[str, Any], expected: float) -> None:
    base = merge(PolicyLayer(D, {"reveal_timeout_s": 20.0}))
    mine = tighten(base.policy, WellnessPolicy.model_validate(
        {**preference, "pixelate": True, "daily_reveal_seconds_cap": 3600}), base.sources)
    assert mine.policy.reveal_timeout_s == expected
    assert mine.policy.pixelate is True and mine.sources["pixelate"] == PREFERENCES
    assert mine.policy.daily_reveal_seconds_cap == 900  # a higher personal cap is ignored
    assert mine.sources["daily_reveal_seconds_cap"] == BUILT_IN
