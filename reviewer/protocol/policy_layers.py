"""Strictest wins: how policy layers (default, team, reviewer, preferences) combine."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewer.protocol.policy import BLUR_LEVELS, CategoryProtection, WellnessPolicy

# What "stricter" means is part of the policy's contract: the server merges a reviewer's
# layers with it and the client tightens the result with the reviewer's preferences.
#
# Strictest wins: the wellness policy in force from its layers, and where each value comes from.
#
# Layers, loosest first: the built-in defaults; the `default` scope (it replaces built-in
# values, looser or stricter: it is the base the coordinator sets); then each team of the
# reviewer, the reviewer's own scope and the reviewer's preferences in the review window.
# Those later layers only ever tighten: a value of theirs counts only where it is stricter.
#
# "Stricter", field by field (`STRICTER`):
#
# | field | stricter is |
# |---|---|
# | blur_sigma_pct, severity3_blur_factor, break_length_minutes | higher |
# | reveal_timeout_s, max_reveals_per_item, daily_reveal_seconds_cap, daily_item_cap | lower |
# | greyscale, pixelate, mute_audio | on |
# | autoplay, reveal_enabled | off |
# | break_every_minutes | lower, but 0 (no breaks) is the loosest of all |
# | break_activity | on ("on wins": not a protection, an offer; any layer may switch it on) |
# | blur_by_severity | per severity, further up the ladder none < light < medium < heavy < warning |
# | categories | per category: blur further up the ladder, greyscale on, pixelate on |
#
# A layer is a mapping of the fields it sets (`WellnessPolicy.model_dump(exclude_unset=True)`):
# a team policy that sets only a cap says nothing about blur. Pure functions, no I/O.

BUILT_IN = "built-in"
DEFAULT_SCOPE = "default"
PREFERENCES = "preferences"

Stricter = Callable[[Any, Any], bool]
"""`stricter(new, current)`: True when `new` protects the reviewer more than `current`."""


def _higher(new: Any, current: Any) -> bool:
    return new > current


def _lower(new: Any, current: Any) -> bool:
    return new < current


def _on(new: bool, current: bool) -> bool:
    return new and not current


def _off(new: bool, current: bool) -> bool:
    return current and not new


def _more_breaks(new: int, current: int) -> bool:
    """More frequent breaks are stricter; 0 means no breaks at all, the loosest."""
    return new > 0 and (current == 0 or new < current)


STRICTER: dict[str, Stricter] = {
    "blur_sigma_pct": _higher,
    "severity3_blur_factor": _higher,
    "break_length_minutes": _higher,
    "reveal_timeout_s": _lower,
    "max_reveals_per_item": _lower,
    "daily_reveal_seconds_cap": _lower,
    "daily_item_cap": _lower,
    "greyscale": _on,
    "pixelate": _on,
    "mute_audio": _on,
    "autoplay": _off,
    "reveal_enabled": _off,
    "break_every_minutes": _more_breaks,
    # The break game protects nothing, so "stricter" cannot order it: on wins. A team,
    # the reviewer's scope or their preferences may switch it on, never off again;
    # the default scope replaces the built-in value, so it may set either.
    "break_activity": _on,
}
"""Scalar fields; `blur_by_severity` and `categories` are combined element by element."""
COMPOUND = ("blur_by_severity", "categories")


def stricter_level(new: str, current: str) -> bool:
    """True when blur level `new` is further up the ladder than `current`."""
    return BLUR_LEVELS.index(new) > BLUR_LEVELS.index(current)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PolicyLayer:
    """The fields one scope sets, e.g. `PolicyLayer("team:a", {"daily_item_cap": 300})`."""

    scope: str
    settings: Mapping[str, Any]

    @classmethod
    def of(cls, scope: str, policy: WellnessPolicy) -> PolicyLayer:
        """The layer of a policy that was validated from what the scope sets."""
        return cls(scope, policy.model_dump(exclude_unset=True))


@dataclass
class EffectivePolicyLayers:
    """A merged policy and, per value, the scope it comes from."""

    policy: WellnessPolicy
    sources: dict[str, str] = field(default_factory=dict)


def merge_policy_layers(default: PolicyLayer | None,
                        tighter: Sequence[PolicyLayer] = ()) -> EffectivePolicyLayers:
    """The policy in force: `default` over the built-in values, then strictest wins."""
    values = WellnessPolicy().model_dump()
    sources = _initial_sources(values)
    if default is not None:
        clean = WellnessPolicy.model_validate(default.settings).model_dump(
            include=set(default.settings))
        for name, value in clean.items():
            _replace(values, sources, name, value, default.scope)
    for layer in tighter:
        clean = WellnessPolicy.model_validate(layer.settings).model_dump(
            include=set(layer.settings))
        for name, value in clean.items():
            _tighten(values, sources, name, value, layer.scope)
    return EffectivePolicyLayers(WellnessPolicy.model_validate(values), sources)


def tighten_policy(policy: WellnessPolicy, preferences: WellnessPolicy,
            sources: Mapping[str, str] | None = None) -> EffectivePolicyLayers:
    """`policy` tightened by a reviewer's own preferences (only the fields they set)."""
    values = policy.model_dump()
    merged_sources = dict(sources) if sources else _initial_sources(values)
    for name, value in preferences.model_dump(exclude_unset=True).items():
        _tighten(values, merged_sources, name, value, PREFERENCES)
    return EffectivePolicyLayers(WellnessPolicy.model_validate(values), merged_sources)


def _initial_sources(values: dict[str, Any]) -> dict[str, str]:
    sources = {name: BUILT_IN for name in STRICTER}
    sources.update({f"blur_by_severity.{n}": BUILT_IN
                    for n in range(len(values["blur_by_severity"]))})
    return sources


def _replace(values: dict[str, Any], sources: dict[str, str], name: str, value: Any,
             scope: str) -> None:
    if name == "blur_by_severity":
        for n, level in enumerate(value):
            values[name][n] = level
            sources[f"{name}.{n}"] = scope
    elif name == "categories":
        values[name] = dict(value)
        for category in value:
            sources[f"categories.{category}"] = scope
    else:
        values[name] = value
        sources[name] = scope


def _tighten(values: dict[str, Any], sources: dict[str, str], name: str, value: Any,
             scope: str) -> None:
    if name == "blur_by_severity":
        for n, level in enumerate(value):
            if stricter_level(level, values[name][n]):
                values[name][n] = level
                sources[f"{name}.{n}"] = scope
    elif name == "categories":
        for category, rule in value.items():
            current = values[name].get(category)
            combined = _stricter_category(current, rule)
            if combined != current:
                values[name][category] = combined
                sources[f"categories.{category}"] = scope
    elif STRICTER[name](value, values[name]):
        values[name] = value
        sources[name] = scope


def _stricter_category(current: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Per category: the higher blur level, greyscale or pixelate if either asks for it."""
    base = current or CategoryProtection().model_dump()
    return {
        "blur": new["blur"] if stricter_level(new["blur"], base["blur"]) else base["blur"],
        "greyscale": base["greyscale"] or new["greyscale"],
        "pixelate": base["pixelate"] or new["pixelate"],
    }
