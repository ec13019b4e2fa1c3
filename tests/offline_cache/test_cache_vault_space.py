"""The media vault under a size cap and on a disk that refuses writes: least recently
used blobs go first, a full or read-only disk is a typed error, and no partial file is
ever left behind."""

from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path

import pytest
from small_disk import run_on_small_disk

from offline_cache.errors import VaultFull, VaultUnwritable
from offline_cache.vault import MediaVault, new_media_key

SECOND = 1_000_000_000  # ns


def blob(size: int = 4000) -> tuple[str, bytes]:
    data = os.urandom(size)
    return hashlib.sha256(data).hexdigest(), data


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.fixture
def vault(tmp_path: Path) -> MediaVault:
    return MediaVault(tmp_path / "vault", new_media_key())


def aged(vault: MediaVault, n: int) -> list[tuple[str, bytes]]:
    """`n` blobs, the first the least recently used (mtimes a second apart, long ago)."""
    made = [blob() for _ in range(n)]
    for age, (sha, data) in enumerate(made):
        vault.put(sha, data)
        stamp = (1_600_000_000 + age) * SECOND
        os.utime(vault.directory / f"{sha}.media", ns=(stamp, stamp))
    return made


def test_size_counts_the_stored_blobs(vault: MediaVault):
    assert vault.size_bytes() == 0
    made = aged(vault, 3)

    assert vault.size_bytes() == sum(
        (vault.directory / f"{sha}.media").stat().st_size for sha, _ in made)


def test_evict_removes_least_recently_used_blobs_not_kept_until_under_the_cap(vault):
    made = aged(vault, 5)
    shas = [sha for sha, _ in made]
    one = vault.size_bytes() // 5
    assert vault.get(shas[1]) == made[1][1]  # read now: the most recently used

    removed = vault.evict(keep={shas[0]}, cap_bytes=3 * one)

    assert removed == 2
    assert [vault.has(s) for s in shas] == [True, True, False, False, True]
    assert vault.size_bytes() <= 3 * one
    assert vault.evict(keep=(), cap_bytes=3 * one) == 0  # already under the cap


def test_kept_blobs_stay_even_over_the_cap(vault: MediaVault):
    shas = [sha for sha, _ in aged(vault, 4)]

    assert vault.evict(keep=set(shas[:2]), cap_bytes=0) == 2

    assert [vault.has(s) for s in shas] == [True, True, False, False]


def test_get_touches_the_blob_so_it_counts_as_recently_used(vault: MediaVault):
    [(sha, data)] = aged(vault, 1)
    path = vault.directory / f"{sha}.media"
    before = path.stat().st_mtime_ns

    assert vault.get(sha) == data

    assert path.stat().st_mtime_ns > before


def writes_through_permissions(directory: Path) -> bool:
    probe = directory / "probe"
    try:
        probe.touch()
    except PermissionError:
        return False
    probe.unlink()
    return True


def test_a_read_only_folder_refuses_writes_with_vault_unwritable(vault: MediaVault):
    kept, data = blob()
    vault.put(kept, data)
    vault.directory.chmod(0o500)
    try:
        if writes_through_permissions(vault.directory):
            pytest.skip("this process writes through permissions (root); "
                        "the read-only filesystem test covers the case")
        with pytest.raises(VaultUnwritable) as refused:
            vault.put(*blob())
        with pytest.raises(VaultUnwritable):
            vault.evict(keep=(), cap_bytes=0)

        assert not isinstance(refused.value, VaultFull)
        assert "cannot be written" in str(refused.value)
        assert files(vault.directory) == [f"{kept}.media"]
        assert vault.get(kept) == data  # what it has, it still serves
    finally:
        vault.directory.chmod(0o700)
    vault.put(*blob())  # writable again: no restart needed


def test_a_read_only_filesystem_refuses_writes_with_vault_unwritable(tmp_path: Path):
    result = run_on_small_disk(tmp_path, "1m", textwrap.dedent("""
        import hashlib, json, os, subprocess, sys
        from pathlib import Path
        from offline_cache.errors import VaultFull, VaultUnwritable
        from offline_cache.vault import MediaVault, new_media_key

        disk = Path(sys.argv[1])
        def blob():
            data = os.urandom(4000)
            return hashlib.sha256(data).hexdigest(), data
        vault = MediaVault(disk / "media", new_media_key())
        kept = blob()
        vault.put(*kept)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        out = {}
        try:
            vault.put(*blob())
        except VaultUnwritable as exc:
            out["put"] = [type(exc).__name__, str(exc), exc.__cause__.errno]
        out["files"] = sorted(p.name for p in (disk / "media").iterdir())
        out["read"] = vault.get(kept[0]) == kept[1]
        out["reopened"] = MediaVault(disk / "media", new_media_key()).directory.is_dir()
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        vault.put(*blob())
        out["after"] = len(list((disk / "media").iterdir()))
        print(json.dumps(out))
    """))

    kind, message, errno_ = result["put"]
    assert kind == "VaultUnwritable" and errno_ == 30  # EROFS
    assert "cannot be written" in message
    assert len(result["files"]) == 1 and result["files"][0].endswith(".media")
    assert result["read"] and result["reopened"] and result["after"] == 2


def test_a_full_disk_raises_vault_full_leaves_no_partial_file_and_recovers(tmp_path: Path):
    result = run_on_small_disk(tmp_path, "256k", textwrap.dedent("""
        import hashlib, json, os, sys
        from pathlib import Path
        from offline_cache.errors import VaultFull
        from offline_cache.vault import MediaVault, new_media_key

        disk = Path(sys.argv[1])
        def blob():
            data = os.urandom(30_000)
            return hashlib.sha256(data).hexdigest(), data
        vault = MediaVault(disk / "media", new_media_key())
        stored, out = [], {}
        for _ in range(100):
            sha, data = blob()
            try:
                vault.put(sha, data)
            except VaultFull as exc:
                out["full"], refused = str(exc), (sha, data)
                break
            stored.append((sha, data))
        out["stored"] = len(stored)
        out["partial"] = [p.name for p in (disk / "media").iterdir()
                          if not p.name.endswith(".media")]
        out["removed"] = vault.evict(keep={stored[-1][0]}, cap_bytes=vault.size_bytes() // 2)
        vault.put(*refused)
        out["intact"] = all(vault.get(s) == d for s, d in stored if vault.has(s))
        out["refused_now_stored"] = vault.get(refused[0]) == refused[1]
        out["kept"] = vault.has(stored[-1][0])
        print(json.dumps(out))
    """))

    assert result["stored"] >= 2 and "is full" in result["full"]
    assert result["partial"] == []
    assert result["removed"] >= 1 and result["kept"]
    assert result["intact"] and result["refused_now_stored"]
