"""Settings and the cached policy."""

from __future__ import annotations

from cache_factories import TAXONOMY

from offline_cache.store import LocalStore
from reviewer.protocol import PolicyReply, WellnessPolicy


def test_policy_cache_round_trip(store_path):
    reply = PolicyReply(
        taxonomies={"hate-speech": TAXONOMY},
        wellness=WellnessPolicy(blur_sigma_pct=5, greyscale=False, daily_reveal_seconds_cap=60),
        scope="team:vendor-a",
    )
    with LocalStore(store_path) as first:
        assert first.cached_policy() is None
        first.save_policy(reply)
        first.save_policy(reply)

    with LocalStore(store_path) as again:
        assert again.cached_policy() == reply

def test_settings_round_trip(store: LocalStore):
    assert store.get_setting("last_server") is None

    store.set_setting("last_server", "http://127.0.0.1:1")
    store.set_setting("last_server", "http://127.0.0.1:2")

    assert store.get_setting("last_server") == "http://127.0.0.1:2"
