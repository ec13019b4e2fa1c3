"""The wellness report against a hand-computed fixture, on SQLite and PostgreSQL, with days
counted in Europe/Berlin across the end of summer time (25 October 2026, 01:00 UTC)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from server_harness import Harness

from server.config import ServerSettings
from server.embedded import EmbeddedServer
from server.models import BreakRecord, DecisionRecord, ExposureRecord

ZONE = "Europe/Berlin"


@pytest.fixture
def berlin(backend_db_url: str, server_dirs: tuple[str, Path]) -> Iterator[Harness]:
    server = EmbeddedServer(backend_db_url, server_dirs[1], time_zone=ZONE)
    server.start()
    h = Harness(server)
    try:
        yield h
    finally:
        h.close()
        server.stop()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (reviewer, item, started at UTC, seconds); local days in comments
EXPOSURE = [
    ("r1", "q-000", "2026-10-24 21:30", 1000),  # 23:30 on the 24th (+2): outside the range
    ("r1", "q-000", "2026-10-24 22:30", 30),  # 00:30 on the 25th (+2)
    ("r1", "q-000", "2026-10-26 12:00", 60),  # 26th
    ("r2", "q-001", "2026-10-26 23:30", 200),  # 00:30 on the 27th (+1)
    ("r4", "q-003", "2026-10-26 08:00", 500),  # 26th
    ("r4", "q-003", "2026-10-26 09:00", 500),  # 26th
]
# (reviewer, item, decided at UTC)
DECISIONS = [
    ("r1", "q-000", "2026-10-25 09:00"), ("r1", "q-000", "2026-10-25 09:05"),  # a change
    ("r1", "q-001", "2026-10-25 10:00"), ("r3", "q-002", "2026-10-26 10:00"),
    ("r2", "q-001", "2026-10-27 10:00"), ("r2", "q-003", "2026-10-27 11:00"),
]
# (reviewer, due at UTC, taken seconds); every break should last 600 s
BREAKS = [("r1", "2026-10-25 11:00", 600), ("r1", "2026-10-25 13:00", 0),
          ("r4", "2026-10-26 10:00", 700)]


def _fixture(h: Harness) -> dict[str, str]:
    h.queue("q", 4)  # q-000..q-003, category "test", severity 0..3
    for name, teams in (("r1", ("a",)), ("r2", ("a",)), ("r3", ("a", "b")), ("r4", ("b",))):
        h.user(name, "reviewer", teams=teams)
    coordinator = h.user("coord", "wellness")
    assert h.http.put("/wellness/policies/team:a", headers=coordinator,
                      json={"policy": {"daily_reveal_seconds_cap": 240}}).status_code == 200
    with h.db.writer() as session:
        for who, item, at, seconds in EXPOSURE:
            session.add(ExposureRecord(
                entry_id=str(uuid.uuid4()), reviewer=who, item_id=item, category="test",
                severity=int(item[-1]), mode="hold", started_at=utc(at),
                duration_ms=seconds * 1000, received_at=utc(at)))
        for who, item, at in DECISIONS:
            session.add(DecisionRecord(
                decision_id=str(uuid.uuid4()), item_id=item, lease_id="l", reviewer=who,
                queue="q", action="approve", labels=[], status="accepted",
                started_at=utc(at), decided_at=utc(at), events=[]))
        for who, at, taken in BREAKS:
            session.add(BreakRecord(break_id=str(uuid.uuid4()), reviewer=who, due_at=utc(at),
                                    taken_seconds=taken, required_seconds=600))
    return coordinator


def test_report_figures_match_the_hand_computed_fixture(berlin: Harness) -> None:
    h = berlin
    coordinator = _fixture(h)
    reply = h.http.get("/wellness/summary?days=3&until=2026-10-27", headers=coordinator)
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert (report["time_zone"], report["since"], report["until"]) == (
        ZONE, "2026-10-25", "2026-10-27")
    # exposure per reviewer: r1 90, r2 200, r3 0, r4 1000 -> sorted 0, 90, 200, 1000
    # p50: rank 1.5 -> 90 + 0.5 * 110 = 145; p90: rank 2.7 -> 200 + 0.7 * 800 = 760
    assert report["exposure_s_p50"] == pytest.approx(145)
    assert report["exposure_s_p90"] == pytest.approx(760)
    rows = {r["reviewer"]: r for r in report["reviewers"]}
    expected = {  # exposure_s, reveals, items, breaks due/taken, cap, status, over, near
        "r1": (90, 2, 2, 2, 1, 240, "ok", 0, 0),
        "r2": (200, 1, 2, 0, 0, 240, "near", 0, 1),  # 200 of 240 is past 80 %
        "r3": (0, 0, 1, 0, 0, 240, "ok", 0, 0),  # team a's cap is stricter than b's
        "r4": (1000, 2, 0, 1, 1, 900, "over", 1, 0),
    }
    for name, (seconds, reveals, items, due, taken, cap, status, over, near) in expected.items():
        row = rows[name]
        assert (row["exposure_s"], row["reveals"], row["items_decided"], row["breaks_due"],
                row["breaks_taken"], row["daily_reveal_seconds_cap"], row["cap_status"],
                row["days_over_cap"], row["days_near_cap"]) == (
            seconds, reveals, items, due, taken, cap, status, over, near), name
    assert rows["r4"]["max_day_exposure_s"] == 1000 and rows["r1"]["max_day_items"] == 2

    teams = {t["team"]: t for t in report["teams"]}
    # team a: r1 90, r2 200, r3 0 -> p50 90, p90 rank 1.8 -> 90 + 0.8 * 110 = 178
    assert (teams["a"]["reviewers"], teams["a"]["exposure_s"]) == (3, 290)
    assert teams["a"]["exposure_s_p50"] == pytest.approx(90)
    assert teams["a"]["exposure_s_p90"] == pytest.approx(178)
    assert (teams["a"]["near_cap"], teams["a"]["over_cap"]) == (1, 0)
    # team b: r3 0, r4 1000 -> p50 500, p90 900
    assert teams["b"]["exposure_s_p50"] == pytest.approx(500)
    assert teams["b"]["exposure_s_p90"] == pytest.approx(900)
    assert (teams["b"]["over_cap"], teams["b"]["items_decided"]) == (1, 1)

    everyone = [(d["day"], d["exposure_s"], d["reveals"], d["items_decided"], d["breaks_due"],
                 d["breaks_taken"]) for d in report["days"] if d["team"] is None]
    assert everyone == [("2026-10-25", 30, 1, 2, 2, 1), ("2026-10-26", 1060, 3, 1, 1, 1),
                        ("2026-10-27", 200, 1, 2, 0, 0)]
    team_b = [(d["day"], d["exposure_s"]) for d in report["days"] if d["team"] == "b"]
    assert team_b == [("2026-10-25", 0), ("2026-10-26", 1000), ("2026-10-27", 0)]

    rates = {(c["category"], c["severity"]): (c["items_decided"], c["items_revealed"],
                                              c["reveals"], c["exposure_s"], c["reveal_rate"])
             for c in report["categories"]}
    # (reviewer, item) pairs count once per day: r1 revealed q-000 on the 25th and the 26th
    assert rates == {
        ("test", 0): (1, 2, 2, 90, 2.0),
        ("test", 1): (2, 1, 1, 200, 0.5),
        ("test", 2): (1, 0, 0, 0, 0.0),
        ("test", 3): (1, 1, 2, 1000, 1.0),
    }


def test_report_for_one_team_and_per_day_rows(berlin: Harness) -> None:
    h = berlin
    coordinator = _fixture(h)
    team_b = h.http.get("/wellness/summary?days=3&until=2026-10-27&team=b",
                        headers=coordinator).json()
    assert [r["reviewer"] for r in team_b["reviewers"]] == ["r3", "r4"]
    assert [t["team"] for t in team_b["teams"]] == ["b"]
    assert team_b["exposure_s_p50"] == pytest.approx(500)
    assert {(c["severity"], c["items_decided"]) for c in team_b["categories"]} == {(2, 1), (3, 0)}

    rows = h.http.get("/wellness/report?since=2026-10-25&until=2026-10-27",
                      headers=coordinator).json()["rows"]
    assert [(r["reviewer"], r["day"], r["decisions"], r["reveals"], r["reveal_ms"],
             r["max_severity_revealed"]) for r in rows] == [
        ("r1", "2026-10-25", 3, 1, 30_000, 0), ("r1", "2026-10-26", 0, 1, 60_000, 0),
        ("r2", "2026-10-27", 2, 1, 200_000, 1), ("r3", "2026-10-26", 1, 0, 0, None),
        ("r4", "2026-10-26", 0, 2, 1_000_000, 3)]
    r1 = h.user("r1")  # clients are told the zone their daily caps count in
    assert h.http.get("/policy", headers=r1).json()["time_zone"] == ZONE
    assert h.http.get("/wellness/effective/r1", headers=coordinator).json()["time_zone"] == ZONE
    everything = h.http.get("/wellness/report", headers=coordinator).json()["rows"]
    assert ("r1", "2026-10-24") in {(r["reviewer"], r["day"]) for r in everything}
    assert h.http.get("/wellness/summary?days=0", headers=coordinator).status_code == 422
    assert h.http.get("/wellness/summary", headers=h.user("r9")).status_code == 403


def test_a_record_arriving_later_updates_the_kept_figures(berlin: Harness) -> None:
    h = berlin
    coordinator = _fixture(h)
    path = "/wellness/summary?days=3&until=2026-10-27"
    before = {r["reviewer"]: r for r in h.http.get(path, headers=coordinator).json()["reviewers"]}
    assert before["r3"]["exposure_s"] == 0
    with h.db.writer() as session:  # synced late: an old day, received now
        session.add(ExposureRecord(
            entry_id=str(uuid.uuid4()), reviewer="r3", item_id="q-002", category="test",
            severity=2, mode="hold", started_at=utc("2026-10-26 12:00"), duration_ms=45_000,
            received_at=datetime.now(UTC)))
    after = h.http.get(path, headers=coordinator).json()
    assert {r["reviewer"]: r["exposure_s"] for r in after["reviewers"]}["r3"] == 45
    assert after["exposure_s_p50"] == pytest.approx(145)  # 45, 90, 200, 1000 -> 145


def test_an_unknown_time_zone_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        ServerSettings(db_url="sqlite://", data_dir=tmp_path, time_zone="Mars/Olympus")
