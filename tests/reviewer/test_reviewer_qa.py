"""The QA service against a real server: verdicts reach the server exactly once even when
a reply is lost, and the finder and verdicts keep working offline on what was fetched."""

from __future__ import annotations

from typing import Any

from reviewer_helpers import PASSWORDS, busiest_queue, client_as, decide_next

from reviewer.qa import DecisionQuery, make_verdict
from reviewer.workstation import Workstation


def _decided_by_demo(server: Any, count: int) -> None:
    demo = Workstation.open(server.data_dir.parent / "demo-client")
    try:
        demo.login(server.url, "demo", PASSWORDS["demo"])
        session = demo.start_review(busiest_queue(demo), background_sync=False)
        for _ in range(count):
            decide_next(session)
        demo.sync_engine().sync_once()
        session.close()
    finally:
        demo.close()


def _quality(workstation: Workstation, server: Any):  # noqa: ANN202 - a QAService
    workstation.login(server.url, "qa", PASSWORDS["qa"])
    return workstation.start_quality(background_sync=False)


def test_a_verdict_whose_reply_was_lost_is_stored_once(workstation: Workstation,
                                                       seeded_server: Any) -> None:
    _decided_by_demo(seeded_server, 2)
    qa = _quality(workstation, seeded_server)
    page = qa.find(DecisionQuery(reviewer="demo", limit=1))
    assert len(page.decisions) == 1 and page.next_cursor is not None
    rest = qa.find(DecisionQuery(reviewer="demo", limit=1), page.next_cursor)
    assert rest.decisions[0].decision_id != page.decisions[0].decision_id
    decision = page.decisions[0]
    verdict = make_verdict(decision, blind_action=decision.action, agree=True)
    qa.judge(verdict)
    qa.judge(verdict)  # a double commit keeps one
    # The server got it once already, but the reply never came back (a dead network):
    lost = client_as(seeded_server, "qa")
    try:
        assert lost.qa_verdicts([verdict]).accepted == 1
        report = qa.sync_verdicts()
        assert (report.sent, report.accepted, report.duplicate) == (1, 0, 1)
        assert qa.sync_verdicts().sent == 0 and qa.pending_verdicts() == 0
        assert lost.qa_report(reviewer="demo").verdicts == 1
    finally:
        lost.close()
    assert [e.status for e in workstation.store.verdicts_recent("qa")] == ["duplicate"]


def test_offline_the_finder_shows_what_was_fetched_and_verdicts_wait(
        workstation: Workstation, seeded_server: Any) -> None:
    _decided_by_demo(seeded_server, 3)
    qa = _quality(workstation, seeded_server)
    fetched = qa.find(DecisionQuery(reviewer="demo")).decisions
    assert len(fetched) == 3
    seeded_server.stop()
    try:
        offline = qa.find(DecisionQuery(reviewer="demo"))
        assert offline.offline and not qa.connectivity.online
        assert [d.decision_id for d in offline.decisions] == [d.decision_id for d in fetched]
        assert qa.find(DecisionQuery(reviewer="someone-else")).decisions == []
        decision = fetched[0]
        qa.judge(make_verdict(decision, blind_action=decision.action, agree=True))
        report, was_offline = qa.report()
        assert report is None and was_offline
        assert qa.pending_verdicts() == 1
    finally:
        seeded_server.start()
    assert qa.sync_verdicts().accepted == 1 and qa.pending_verdicts() == 0
