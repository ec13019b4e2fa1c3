"""`reviewer-server queue add|set|list` on SQLite and PostgreSQL: taxonomies from JSON or
TOML, refused with a clear message when invalid or when ids or keys clash; teams reserve a
queue for their members on the live server; each change is audited.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from server_harness import Harness

from server.cli import main
from server.db import Database
from server.embedded import EmbeddedServer
from server.queue_admin import QueueConfigError, list_queues, load_taxonomy

TOML = """
[[actions]]
id = "approve"
title = "Approve"
key = "1"

[[actions]]
id = "remove"
title = "Remove"
key = "2"

[[labels]]
id = "phishing"
title = "Phishing"
key = "3"
"""


def run(capsys: pytest.CaptureFixture[str], location: tuple[str, Path],
        *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", location[0], "--data-dir", str(location[1])])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def location(backend_db_url: str, server_dirs: tuple[str, Path]) -> tuple[str, Path]:
    return backend_db_url, server_dirs[1]


@pytest.mark.parametrize(("content", "suffix", "message"), [
    ('{"actions": []}', ".json", "actions: List should have at least 1 item"),
    ('{"actions": [{"id": "a", "title": "A", "key": "1"}, {"id": "b", "title": "B", '
     '"key": "1"}]}', ".json", "key 1 is given to both 'a' and 'b'"),
    ('{"actions": [{"id": "a", "title": "A"}], "labels": [{"id": "a", "title": "A"}]}',
     ".json", "id 'a' is used twice"),
    ('{"actions": [{"id": "skip", "title": "Skip"}]}', ".json", "'skip' is built in"),
    ("actions = [", ".toml", "is not valid TOML"),
    ('{"actions": [{"id": "a", "title": "A", "key": "0"}]}', ".json",
     "actions.0.key: String should match pattern"),
    ("{}", ".yaml", "ends in .json or .toml"),
])
def test_bad_taxonomy_files_get_clear_messages(tmp_path: Path, content: str, suffix: str,
                                               message: str) -> None:
    path = tmp_path / f"taxonomy{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QueueConfigError) as info:
        load_taxonomy(path)
    assert message in str(info.value)


def test_queue_commands_configure_queues(capsys: pytest.CaptureFixture[str],
                                         location: tuple[str, Path], tmp_path: Path) -> None:
    toml = tmp_path / "phish.toml"
    toml.write_text(TOML, encoding="utf-8")
    assert run(capsys, location, "queue", "add", "tier2", "--title", "Tier 2")[0] == 0
    code, _, _ = run(capsys, location, "queue", "add", "phish", "--title", "Phishing",
                     "--sensitivity", "2", "--team", "vendor-a", "--team", "vendor-b",
                     "--escalation-queue", "tier2", "--taxonomy", str(toml))
    assert code == 0
    code, _, err = run(capsys, location, "queue", "add", "phish")
    assert code == 2 and "already exists" in err
    code, _, err = run(capsys, location, "queue", "set", "phish", "--escalation-queue", "nope")
    assert code == 2 and "escalation queue 'nope' does not exist" in err
    code, _, err = run(capsys, location, "queue", "set", "phish", "--team", "bad team")
    assert code == 2 and "team 'bad team'" in err

    db = Database(location[0], strict=True)
    try:
        phish = {q.name: q for q in list_queues(db)}["phish"]
        assert (phish.title, phish.sensitivity, phish.teams, phish.escalation_queue) == (
            "Phishing", 2, ["vendor-a", "vendor-b"], "tier2")
        assert (phish.actions, phish.labels) == (["approve", "remove"], ["phishing"])
        assert run(capsys, location, "queue", "set", "phish", "--no-teams", "--no-escalation",
                   "--title", "Phish")[0] == 0
        phish = {q.name: q for q in list_queues(db)}["phish"]
        assert (phish.title, phish.teams, phish.escalation_queue) == ("Phish", [], None)
    finally:
        db.dispose()
    listing = run(capsys, location, "queue", "list")[1]
    assert "phish\tPhish\t2\t(everyone)\t-\tapprove,remove\tphishing" in listing
    audit = run(capsys, location, "audit", "export")[1]
    actions = [(e["action"], e["target"], e["outcome"]) for e in map(json.loads,
                                                                      audit.splitlines())]
    assert actions == [("queue.add", "tier2", "ok"), ("queue.add", "phish", "ok"),
                       ("queue.add", "phish", "refused"), ("queue.set", "phish", "refused"),
                       ("queue.set", "phish", "refused"), ("queue.set", "phish", "ok")]


def test_teams_set_by_command_reserve_the_queue(capsys: pytest.CaptureFixture[str],
                                                server_dirs: tuple[str, Path]) -> None:
    with EmbeddedServer(*server_dirs) as server:
        h = Harness(server)
        try:
            h.queue("q", 2)
            assert run(capsys, server_dirs, "queue", "set", "q", "--team", "vendor-a")[0] == 0
            outsider = h.http.post("/queues/q/leases", json={"max_items": 1},
                                   headers=h.user("otto", teams=("vendor-z",)))
            assert outsider.status_code == 403
            assert h.lease(h.user("ana", teams=("vendor-a",)), "q")["items"]
        finally:
            h.close()


def test_queue_webhook_command_sets_and_removes(capsys: pytest.CaptureFixture[str],
                                                server_dirs: tuple[str, Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    assert run(capsys, server_dirs, "queue", "add", "q")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, _ = run(capsys, server_dirs, "queue", "webhook", "q", "--url",
                       "https://platform.example.com/hook")
    assert code == 0 and "signing secret (shown once" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("too-short\n"))
    code, _, err = run(capsys, server_dirs, "queue", "webhook", "q", "--url",
                       "https://platform.example.com/hook")
    assert code == 2 and "at least 16 characters" in err
    code, _, err = run(capsys, server_dirs, "queue", "webhook", "q", "--url",
                       "http://platform.example.com/hook")
    assert code == 2 and "use https://" in err
    assert run(capsys, server_dirs, "queue", "webhook", "q", "--remove")[0] == 0
    code, out, _ = run(capsys, server_dirs, "webhooks", "deliver")
    assert code == 0 and out.strip() == "0 decision(s) delivered"
