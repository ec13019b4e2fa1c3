"""The coordinator's API-only service against a seeded server: policies reach reviewers,
refusals name the field, and nothing it asks or receives is content."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from reviewer_helpers import client_as
from sqlalchemy import select

from reviewer.coordinator import CoordinatorService, PolicyRejected, field_errors
from reviewer.coordinator_csv import REVIEWER_COLUMNS, summary_tables
from server.db import Database
from server.models import Item


@pytest.fixture
def coordinator(seeded_server):
    api = client_as(seeded_server, "wellness")
    yield CoordinatorService(api)
    api.close()


def test_a_policy_saved_by_the_coordinator_is_what_the_reviewer_gets(seeded_server,
                                                                     coordinator) -> None:
    stored = coordinator.save_policy("user:demo", {
        "daily_reveal_seconds_cap": 60, "blur_by_severity": ["heavy", "heavy", "heavy",
                                                             "warning"]})
    assert stored.set_fields == ["blur_by_severity", "daily_reveal_seconds_cap"]
    assert [p.scope for p in coordinator.policies().data] == ["user:demo"]
    demo = client_as(seeded_server, "demo")
    try:
        mine = demo.policy()
    finally:
        demo.close()
    assert mine.wellness.daily_reveal_seconds_cap == 60
    assert mine.wellness.blur_by_severity[3] == "warning"
    assert mine.sources["daily_reveal_seconds_cap"] == "user:demo"
    effective = coordinator.effective("demo")
    assert effective.policy == mine.wellness and effective.sources == mine.sources
    coordinator.delete_policy("user:demo")
    assert coordinator.policies().count == 0
    assert [c.after is None for c in coordinator.changes("user:demo").data] == [True, False]


def test_refusals_name_the_field(coordinator) -> None:
    with pytest.raises(PolicyRejected) as local:
        coordinator.save_policy("default", {"reveal_timeout_s": 500, "daily_item_cap": -1})
    assert set(local.value.fields) == {"reveal_timeout_s", "daily_item_cap"}
    with pytest.raises(PolicyRejected) as remote:
        coordinator.save_policy("user:nobody", {"pixelate": True})
    assert "nobody" in remote.value.fields["scope"]
    assert field_errors("body.policy.blur_by_severity.1: Input should be 'none'; "
                        "body.policy.daily_item_cap: Input should be greater") == {
        "blur_by_severity.1": "Input should be 'none'",
        "daily_item_cap": "Input should be greater"}


def test_the_coordinator_asks_for_and_receives_no_content(seeded_server, coordinator) -> None:
    requests: list[httpx.Request] = []
    bodies: list[str] = []

    def on_response(response: httpx.Response) -> None:
        response.read()
        bodies.append(response.text)

    coordinator._api._http.event_hooks = {"request": [requests.append],
                                          "response": [on_response]}
    coordinator.save_policy("team:vendor-a", {"pixelate": True})
    coordinator.policies()
    coordinator.policy("team:vendor-a")
    coordinator.changes()
    coordinator.effective("demo")
    summary = coordinator.summary(days=30)
    coordinator.reviewer_days("demo", summary.since, summary.until)
    coordinator.delete_policy("team:vendor-a")

    assert requests and all(r.url.path.startswith("/api/v1/wellness/") for r in requests)
    db = Database(seeded_server.db_url)
    try:
        with db.session() as session:
            items = session.execute(select(Item.id, Item.text, Item.media_sha256)).all()
    finally:
        db.dispose()
    assert items
    seen = "\n".join(bodies) + "\n".join(str(r.url) for r in requests)
    for item_id, text, sha256 in items:
        assert item_id not in seen
        assert not text or text not in seen
        assert not sha256 or sha256 not in seen


def test_report_exports_as_csv(coordinator) -> None:
    tables = summary_tables(coordinator.summary(days=7))
    assert set(tables) == {"reviewers", "teams", "days", "categories"}
    rows = list(csv.reader(io.StringIO(tables["reviewers"])))
    assert tuple(rows[0]) == REVIEWER_COLUMNS
    assert "demo" in [row[0] for row in rows[1:]]
    days = list(csv.DictReader(io.StringIO(tables["days"])))
    assert len([d for d in days if d["team"] == ""]) == 7
