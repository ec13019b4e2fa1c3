"""`reviewer-server ingest` on SQLite and PostgreSQL: files, directories and a JSONL
manifest; a summary of added, already present and refused (with reasons); idempotent by
content hash and external id; nothing left in the media store for what it refused; a file
over the media cap is refused from its size without being read.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from server.cli import main
from server.db import Database
from server.media_gen import encode, synthetic_image
from server.models import Item


def _ingest(capsys: pytest.CaptureFixture[str], location: tuple[str, Path],
            *paths: Path) -> tuple[int, str, str]:
    code = main(["ingest", "spam", *map(str, paths), "--category", "spam", "--severity", "1",
                 "--db", location[0], "--data-dir", str(location[1])])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def location(backend_db_url: str, server_dirs: tuple[str, Path]) -> tuple[str, Path]:
    return backend_db_url, server_dirs[1]


def _content(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "drop"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.png").write_bytes(encode(synthetic_image(3000, 200, 1), "PNG"))
    (folder / "b.txt").write_text("buy cheap watches now", encoding="utf-8")
    (folder / "sub" / "c.jpg").write_text("not a jpeg at all", encoding="utf-8")
    (folder / "sub" / "empty.gif").write_bytes(b"")
    (folder / "notes.xyz").write_bytes(b"\x00\x01")
    (folder / ".hidden.png").write_bytes(encode(synthetic_image(20, 20, 2), "PNG"))
    with (folder / "huge.png").open("wb") as huge:  # sparse: 2 GiB without the disk
        huge.truncate(2 * 1024 ** 3)
    manifest = tmp_path / "batch.jsonl"
    (tmp_path / "m.png").write_bytes(encode(synthetic_image(30, 30, 3), "PNG"))
    lines = [
        {"text": "first message", "external_id": "ext-1", "context": {"author": "u1"},
         "category": "scam", "severity": 3},
        {"text": "second message", "external_id": "ext-2"},
        {"file": "m.png", "external_id": "ext-3", "context": {"channel": "c"}},
        {"text": "bad", "colour": "red"},
        {"text": "has a \u0000 NUL"},
    ]
    manifest.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return folder, manifest


def _media_files(data_dir: Path) -> set[str]:
    return {p.name for p in (data_dir / "media").rglob("*") if p.is_file()}


def test_ingest_reports_added_present_and_refused(capsys: pytest.CaptureFixture[str],
                                                  location: tuple[str, Path],
                                                  tmp_path: Path) -> None:
    folder, manifest = _content(tmp_path)
    code, out, err = _ingest(capsys, location, folder, manifest)
    assert code == 1  # something was refused
    assert out.strip().splitlines()[-1] == "5 added, 0 already present, 6 refused"
    refused = dict(line.split("\t")[1:] for line in err.splitlines()
                   if line.startswith("refused"))
    assert refused[str(folder / "huge.png")] == "media files are limited to 64 MiB"
    assert refused[str(folder / "sub" / "c.jpg")] == "the content is not image/jpeg"
    assert refused[str(folder / "sub" / "empty.gif")] == "the file is empty"
    assert "not a text, image or video file" in refused[str(folder / "notes.xyz")]
    assert refused["batch.jsonl:4"] == "colour: Extra inputs are not permitted"
    assert refused["batch.jsonl:5"] == "control characters in the entry"

    db = Database(location[0], strict=True)
    try:
        with db.session() as session:
            items = list(session.scalars(select(Item)))
    finally:
        db.dispose()
    by_text = {i.text: i for i in items if i.text}
    assert by_text["first message"].context == {"author": "u1"}
    assert (by_text["first message"].category, by_text["first message"].severity) == ("scam", 3)
    assert (by_text["second message"].category, by_text["second message"].severity) == (
        "spam", 1)
    used = {i.media_sha256 for i in items} | {i.preview_sha256 for i in items}
    assert _media_files(location[1]) == used - {None}  # nothing left for what was refused

    again = _ingest(capsys, location, folder, manifest)[1]
    assert again.strip().splitlines()[-1] == "0 added, 5 already present, 6 refused"


def test_external_id_and_content_make_an_item_unique(capsys: pytest.CaptureFixture[str],
                                                     location: tuple[str, Path],
                                                     tmp_path: Path) -> None:
    first = tmp_path / "one.jsonl"
    first.write_text(json.dumps({"text": "original", "external_id": "post-9"}) + "\n")
    assert "1 added" in _ingest(capsys, location, first)[1]
    edited = tmp_path / "two.jsonl"
    edited.write_text(json.dumps({"text": "edited later", "external_id": "post-9"}) + "\n"
                      + json.dumps({"text": "original"}) + "\n")
    out = _ingest(capsys, location, edited)[1]
    assert out.strip().splitlines()[-1] == "0 added, 2 already present, 0 refused"


def test_ingest_never_holds_a_whole_file_it_refuses(capsys: pytest.CaptureFixture[str],
                                                    server_dirs: tuple[str, Path],
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.mp4"
    with huge.open("wb") as out:
        out.truncate(3 * 1024 ** 3)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = _ingest(capsys, server_dirs, huge)
    assert code == 1 and "limited to 64 MiB" in err
    assert not [p for p in (server_dirs[1] / "media").rglob("*") if p.is_file()]
