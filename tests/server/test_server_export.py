"""`reviewer-server export decisions` on SQLite and PostgreSQL: every decision since a
time, with the item's external id, as JSONL or CSV, and never a reviewer's note."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from server_harness import Harness, decision

from server.cli import main
from server.models import IngestKey, utcnow

NOTE = "export-must-never-carry-this-note"


def test_export_decisions_since_as_jsonl_and_csv(backend_harness: Harness,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    h = backend_harness
    ids = h.queue("q", 3)
    with h.db.writer() as session:
        session.add(IngestKey(key="external:q:post-7", item_id=ids[0]))
    reviewer = h.user("rita")
    lease = h.lease(reviewer, "q", 3)
    first = decision(ids[0], lease["lease_id"], "remove", labels=["spam"], note=NOTE)
    second = decision(ids[1], lease["lease_id"])
    h.post_decisions(reviewer, first, second)
    location = ["--db", h.server.db_url, "--data-dir", str(h.server.data_dir)]

    assert main(["export", "decisions", *location]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["decision_id"] for r in rows} == {first["decision_id"], second["decision_id"]}
    by_id = {r["decision_id"]: r for r in rows}
    mine = by_id[first["decision_id"]]
    assert (mine["external_id"], mine["action"], mine["labels"], mine["status"],
            mine["reviewer"]) == ("post-7", "remove", ["spam"], "accepted", "rita")
    assert by_id[second["decision_id"]]["external_id"] is None

    assert main(["export", "decisions", "--format", "csv", *location]) == 0
    out = capsys.readouterr().out
    assert NOTE not in out
    table = list(csv.DictReader(io.StringIO(out)))
    assert {r["decision_id"]: r["labels"] for r in table}[first["decision_id"]] == "spam"

    later = (utcnow() + timedelta(minutes=1)).isoformat()
    assert main(["export", "decisions", "--since", later, *location]) == 0
    assert capsys.readouterr().out == ""
