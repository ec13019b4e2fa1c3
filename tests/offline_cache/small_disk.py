"""Run a Python script on a real, tiny filesystem: a tmpfs of a given size, mounted in a
private user and mount namespace (`unshare`), so no privilege is needed and nothing is
left mounted when the child exits. Inside, the child is root of its namespace: it may
remount the tmpfs bigger (`mount -o remount,size=...`) or read-only.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
_MOUNT_AND_RUN = 'mount -t tmpfs -o size="$1" tmpfs "$2" && exec "$3" "$4" "$2"'


@functools.cache
def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as probe:
        done = subprocess.run(
            ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
             'mount -t tmpfs -o size=64k tmpfs "$1"', "sh", probe],
            capture_output=True, timeout=30)
    return done.returncode == 0


def run_on_small_disk(tmp_path: Path, size: str, script: str) -> dict[str, Any]:
    """Run `script` with `sys.argv[1]` the mount point of a `size` tmpfs; returns the
    JSON object the script prints last. Skips the test where namespaces are not allowed."""
    if not _namespaces_work():
        pytest.skip("unprivileged user and mount namespaces are not available here")
    disk, path = tmp_path / "small-disk", tmp_path / "on_small_disk.py"
    disk.mkdir()
    path.write_text(script)
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", _MOUNT_AND_RUN,
         "sh", size, str(disk), sys.executable, str(path)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).parent)])},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
