"""Verdicts are stored once and refused for unknown decisions or actions of another queue."""

from __future__ import annotations

import uuid

from qa_helpers import post_verdicts, timed, verdict
from server_harness import Harness


def test_verdicts_are_stored_once_and_checked(harness: Harness) -> None:
    h = harness
    h.queue("q", 1)
    alice, qa = h.user("alice"), h.user("qa", "qa_lead")
    lease = h.lease(alice, "q", 1)
    made = timed(lease["items"][0]["id"], lease["lease_id"], "approve")
    h.post_decisions(alice, made)
    good = verdict(made["decision_id"], "remove", note="a knife is visible", blind=True)
    bad_action = verdict(made["decision_id"], "explode")
    skip = verdict(made["decision_id"], "skip")
    unknown = verdict(str(uuid.uuid4()), "approve")
    result = post_verdicts(h, qa, good, bad_action, skip, unknown)
    assert result["accepted"] == 1 and result["duplicate"] == 0
    assert set(result["rejected"]) == {bad_action["verdict_id"], skip["verdict_id"],
                                       unknown["verdict_id"]}
    assert post_verdicts(h, qa, good) == {"accepted": 0, "duplicate": 1, "rejected": []}
    reviewer_tries = h.http.post("/qa/verdicts", json={"verdicts": [good]}, headers=alice)
    assert reviewer_tries.status_code == 403
