"""A media folder that becomes read-only (a real read-only remount of a small tmpfs in a
private namespace): review goes on, the status says why images wait, and downloads
resume by themselves, without a restart, when the folder is writable again."""

from __future__ import annotations

import secrets
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from server_harness import Harness

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "offline_cache"))
from small_disk import run_on_small_disk  # noqa: E402

CHILD = textwrap.dedent("""
    import json, os, subprocess, sys
    from pathlib import Path
    from reviewer.workstation import Workstation

    disk = Path(sys.argv[1])
    data = Path(os.environ["NET_CLIENT_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    (disk / "media").mkdir()
    (data / "media").symlink_to(disk / "media")  # the vault lives on the small disk
    ws = Workstation.open(data)
    ws.login(os.environ["NET_SERVER_URL"], "rev", os.environ["NET_PASSWORD"])
    session = ws.start_review("q", background_sync=False)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    out = {"ready": session.fill(min_ready=10), "waiting": session.leases.waiting(),
           "broken": sum(c.state == "broken" for c in session.items()),
           "shown": len(session.media_bytes(session.current().item.id)) > 0,
           "blobs_ro": len(list((disk / "media").iterdir()))}
    subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
    session.leases.retry_now()
    session.fill(min_ready=10)
    out["blobs_rw"] = len(list((disk / "media").iterdir()))
    out["waiting_after"] = session.leases.waiting()
    ws.close()
    print(json.dumps(out))
""")


def test_a_read_only_media_folder_pauses_downloads_and_recovers(
        tmp_path: Path, net: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    from server.models import User
    from server.security import hash_password

    net.queue("q", 20, images=20)
    password = secrets.token_urlsafe(16)
    with net.db.writer() as session:
        session.add(User(username="rev", password_hash=hash_password(password),
                         roles=["reviewer"], teams=[]))
    monkeypatch.setenv("NET_SERVER_URL", net.server.url)
    monkeypatch.setenv("NET_PASSWORD", password)
    monkeypatch.setenv("NET_CLIENT_DIR", str(tmp_path / "client"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    out: dict[str, Any] = run_on_small_disk(tmp_path, "4m", CHILD)

    assert out["ready"] == 20 and out["broken"] == 0  # no item marked broken for it
    assert out["waiting"].startswith("Media cache folder cannot be written")
    assert out["shown"]  # the current item is shown from memory
    assert out["blobs_ro"] == 0
    assert out["blobs_rw"] == 20 and out["waiting_after"] == ""
