"""Bad media from the seed: each item ends up `broken` with a reason, work goes on."""

from __future__ import annotations

from reviewer.errors import MediaRejected
from wellness.protect import MediaError, prepare_image


def _prepare_like_the_ui(session, cached) -> None:
    """What the UI's preparer does: decode + protect; a MediaError marks the item."""
    try:
        data = session.media_bytes(cached.item.id)
        prepare_image(data, cached.item.media.mime, (800, 600), session.policy,
                      cached.item.severity)
    except MediaRejected:
        return  # already broken, with its reason
    except MediaError as exc:
        session.mark_broken(cached.item.id, exc.reason)


def test_each_broken_item_gets_a_reason_and_review_goes_on(demo_ws, seeded_server):
    broken_ids = set(seeded_server.seed_summary.broken.values())
    assert len(broken_ids) == 4
    session = demo_ws.start_review("violent-imagery", background_sync=False)
    session.fill(min_ready=40)
    order_before = [c.item.id for c in session.items()]
    assert broken_ids <= set(order_before)
    hash_item = seeded_server.seed_summary.broken["hash"]
    assert {c.item.id: c.state for c in session.items()}[hash_item] == "broken"

    reasons = {}
    while (cached := session.current()) is not None:
        session.mark_shown()
        if cached.item.media is not None:
            _prepare_like_the_ui(session, cached)
        cached = session.current()
        if cached.state == "broken":
            reasons[cached.item.id] = cached.error
            try:
                session.media_bytes(cached.item.id)
                raise AssertionError("a broken item handed out its bytes")
            except MediaRejected as exc:
                assert exc.reason == cached.error
            session.escalate(note="cannot display")
        else:
            session.decide("no_violation" if _has(session, "no_violation") else
                           next(a.id for a in session.taxonomy.actions if a.key == "1"))
    assert set(reasons) == broken_ids
    assert all(reason and len(reason) > 10 for reason in reasons.values())
    assert "fingerprint" in reasons[hash_item]
    report = demo_ws.sync_engine().sync_once()
    assert not report.rejected and report.accepted == len(order_before)


def _has(session, action: str) -> bool:
    return any(a.id == action for a in session.taxonomy.actions)
