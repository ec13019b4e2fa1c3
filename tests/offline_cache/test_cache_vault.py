"""The media vault: AES-GCM at rest, tamper-evident, never plaintext on disk."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from offline_cache.vault import HashMismatch, MediaVault, VaultCorrupt, new_media_key

MARKER = b"PLAINTEXT-MARKER-4f1c"


def blob() -> tuple[str, bytes]:
    data = MARKER * 200 + os.urandom(1000)
    return hashlib.sha256(data).hexdigest(), data


def files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_round_trip_survives_reopening(tmp_path: Path):
    key = new_media_key()
    vault = MediaVault(tmp_path / "vault", key)
    sha, data = blob()

    vault.put(sha, data)

    assert vault.has(sha) and vault.get(sha) == data
    assert MediaVault(tmp_path / "vault", key).get(sha) == data


def test_missing_blob_is_none(tmp_path: Path):
    vault = MediaVault(tmp_path / "vault", new_media_key())

    assert vault.get("0" * 64) is None and not vault.has("0" * 64)


def test_put_refuses_bytes_that_do_not_match_their_hash(tmp_path: Path):
    vault = MediaVault(tmp_path / "vault", new_media_key())
    sha, data = blob()

    with pytest.raises(HashMismatch):
        vault.put(sha, data + b"x")
    assert not vault.has(sha) and files(tmp_path / "vault") == []


def test_wrong_key_fails(tmp_path: Path):
    sha, data = blob()
    MediaVault(tmp_path / "vault", new_media_key()).put(sha, data)

    with pytest.raises(VaultCorrupt):
        MediaVault(tmp_path / "vault", new_media_key()).get(sha)


@pytest.mark.parametrize("where", [0, 1, 20, -1])
def test_tampered_file_is_detected(tmp_path: Path, where: int):
    vault = MediaVault(tmp_path / "vault", new_media_key())
    sha, data = blob()
    vault.put(sha, data)
    [path] = files(tmp_path / "vault")
    raw = bytearray(path.read_bytes())
    raw[where] ^= 0x01
    path.write_bytes(bytes(raw))

    with pytest.raises(VaultCorrupt):
        vault.get(sha)


def test_truncated_and_swapped_files_are_detected(tmp_path: Path):
    vault = MediaVault(tmp_path / "vault", new_media_key())
    (sha_a, a), (sha_b, b) = blob(), blob()
    vault.put(sha_a, a)
    vault.put(sha_b, b)
    path_a, path_b = (tmp_path / "vault" / f"{s}.media" for s in (sha_a, sha_b))

    path_a.write_bytes(path_b.read_bytes())  # right key, wrong name: the AAD catches it
    with pytest.raises(VaultCorrupt):
        vault.get(sha_a)
    path_b.write_bytes(path_b.read_bytes()[:20])
    with pytest.raises(VaultCorrupt):
        vault.get(sha_b)


def test_plaintext_never_on_disk_and_files_owner_only(tmp_path: Path):
    vault = MediaVault(tmp_path / "vault", new_media_key())
    for _ in range(3):
        vault.put(*blob())

    stored = files(tmp_path / "vault")
    assert len(stored) == 3
    for path in stored:
        assert MARKER not in path.read_bytes()
        assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "vault").stat().st_mode & 0o777 == 0o700


def test_purge_and_discard(tmp_path: Path):
    vault = MediaVault(tmp_path / "vault", new_media_key())
    (sha_a, a), (sha_b, b) = blob(), blob()
    vault.put(sha_a, a)
    vault.put(sha_b, b)

    vault.discard(sha_a)
    assert not vault.has(sha_a) and vault.has(sha_b)
    assert vault.purge() == 1
    assert files(tmp_path / "vault") == []


def test_names_must_be_hashes_and_keys_32_bytes(tmp_path: Path):
    vault = MediaVault(tmp_path / "vault", new_media_key())

    with pytest.raises(ValueError):
        vault.get("../../etc/passwd")
    with pytest.raises(ValueError):
        MediaVault(tmp_path / "other", b"short")
    assert len(new_media_key()) == 32
