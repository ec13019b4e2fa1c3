"""A reviewer's own protection preferences: stronger blur, pixelation, a shorter reveal,
lower personal caps. They only ever tighten the policy in force (strictest wins,
`reviewer.protocol.policy_layers.tighten_policy`): a preference that would loosen it has
no effect. Kept per user in the local store, so they hold offline and across restarts.
"""

from __future__ import annotations

import json
from typing import Any

from offline_cache.store import LocalStore
from reviewer.protocol import WellnessPolicy, tighten_policy

PREFERABLE = ("blur_sigma_pct", "pixelate", "reveal_timeout_s", "max_reveals_per_item",
              "daily_reveal_seconds_cap", "daily_item_cap")
"""What a reviewer may set for themselves (each only tighter than the policy)."""


def _key(username: str) -> str:
    return f"preferences:{username}"


def load_preferences(store: LocalStore, username: str | None) -> dict[str, Any]:
    """The fields `username` set for themselves (unknown or broken entries are dropped)."""
    text = store.get_setting(_key(username)) if username else None
    try:
        raw = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {k: v for k, v in raw.items() if k in PREFERABLE} if isinstance(raw, dict) else {}


def save_preferences(store: LocalStore, username: str, preferences: dict[str, Any]) -> None:
    WellnessPolicy.model_validate(preferences)  # a bad value never reaches the store
    store.set_setting(_key(username), json.dumps(
        {k: v for k, v in preferences.items() if k in PREFERABLE}))


def with_preferences(policy: WellnessPolicy, preferences: dict[str, Any]) -> WellnessPolicy:
    """`policy` tightened by the preferences (never loosened)."""
    if not preferences:
        return policy
    return tighten_policy(policy, WellnessPolicy.model_validate(preferences)).policy
