"""`reviewer-server user add|list|passwd|disable|enable` and `audit export`, in process,
on SQLite and PostgreSQL: the password policy at every place a password is set, tokens
revoked by passwd and disable, every command in the audit log.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from pathlib import Path

import pytest

from server.accounts import AccountError, create_user, set_password
from server.cli import main
from server.db import Database
from server.models import AccessToken, utcnow
from server.security import new_token


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        location: tuple[str, Path], *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([*args, "--db", location[0], "--data-dir", str(location[1])])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def location(backend_db_url: str, server_dirs: tuple[str, Path]) -> tuple[str, Path]:
    return backend_db_url, server_dirs[1]


def _token_for(db_url: str, username: str) -> None:
    db = Database(db_url, strict=True)
    try:
        with db.writer() as session:
            session.add(AccessToken(token_hash=new_token()[1], username=username,
                                    expires_at=utcnow().replace(year=utcnow().year + 1)))
    finally:
        db.dispose()


@pytest.mark.parametrize("weak", ["short1!", "password123", "QwertyUiop", "aaaaaaaaaaaa"])
def test_weak_passwords_are_refused_everywhere(weak: str, server_dirs: tuple[str, Path]
                                               ) -> None:
    db_url = server_dirs[0]
    with pytest.raises(AccountError):
        create_user(db_url, "eve", weak, ["reviewer"])
    create_user(db_url, "eve", secrets.token_urlsafe(16), ["reviewer"])
    with pytest.raises(AccountError):
        set_password(db_url, "eve", weak)


def test_user_commands_manage_accounts_and_are_audited(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        location: tuple[str, Path]) -> None:
    code, _, err = run(capsys, monkeypatch, location, "user", "add", "zoe", "--role",
                       "reviewer", stdin="letmein\n")
    assert code == 2 and "at least 10 characters" in err
    password = secrets.token_urlsafe(16)
    assert run(capsys, monkeypatch, location, "user", "add", "zoe", "--role", "reviewer",
               "--team", "vendor-a", stdin=password + "\n")[0] == 0
    _token_for(location[0], "zoe")
    code, listing, _ = run(capsys, monkeypatch, location, "user", "list")
    assert code == 0 and "zoe\treviewer\tvendor-a\tactive\t1\t" in listing
    assert password not in listing

    code, out, _ = run(capsys, monkeypatch, location, "user", "passwd", "zoe",
                       stdin=secrets.token_urlsafe(16) + "\n")
    assert code == 0 and "1 token(s) revoked" in out
    _token_for(location[0], "zoe")
    code, out, _ = run(capsys, monkeypatch, location, "user", "disable", "zoe")
    assert code == 0 and "1 token(s) revoked" in out
    assert "zoe\treviewer\tvendor-a\tdisabled\t0" in run(capsys, monkeypatch, location,
                                                         "user", "list")[1]
    assert run(capsys, monkeypatch, location, "user", "enable", "zoe")[0] == 0
    code, _, err = run(capsys, monkeypatch, location, "user", "disable", "nobody")
    assert code == 2 and "no user 'nobody'" in err

    code, out, _ = run(capsys, monkeypatch, location, "audit", "export", "--format", "jsonl")
    events = [json.loads(line) for line in out.splitlines()]
    actions = [(e["action"], e["target"], e["outcome"]) for e in events]
    assert actions == [("user.add", "zoe", "ok"), ("user.passwd", "zoe", "ok"),
                       ("user.disable", "zoe", "ok"), ("user.enable", "zoe", "ok"),
                       ("user.disable", "nobody", "refused")]
    assert all(e["actor"].startswith("cli:") and e["source"] == "cli" for e in events)


def test_audit_export_filters_by_time_and_writes_csv(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        location: tuple[str, Path], tmp_path: Path) -> None:
    run(capsys, monkeypatch, location, "user", "add", "yan", "--role", "admin",
        stdin=secrets.token_urlsafe(16) + "\n")
    out_file = tmp_path / "audit.csv"
    assert run(capsys, monkeypatch, location, "audit", "export", "--format", "csv",
               "--out", str(out_file))[0] == 0
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert [(r["action"], r["target"]) for r in rows] == [("user.add", "yan")]
    future = str(utcnow().year + 1)
    code, out, _ = run(capsys, monkeypatch, location, "audit", "export", "--since",
                       f"{future}-01-01")
    assert code == 0 and out == ""
    with pytest.raises(SystemExit):
        run(capsys, monkeypatch, location, "audit", "export", "--since", "yesterday")
