"""The media vault: downloaded media, encrypted at rest with AES-GCM (invariant 5).

One file per blob, named by its SHA-256. File format: 1 version byte, 12-byte nonce,
ciphertext with the 16-byte GCM tag; the hash is the associated data, so a file
renamed to another hash fails to decrypt. Plaintext never touches the disk: it is
encrypted in memory and written through a temp file + `os.replace`, owner-only.
Reads verify the tag and the hash again; anything else raises `VaultCorrupt` rather
than returning wrong bytes. Never call from the GUI thread (file I/O and crypto).

The vault is a cache with a size cap: `get` touches a blob's mtime, and `evict`
removes the least recently used blobs the caller does not need to keep until the vault
fits under the cap. A write the OS refuses (disk full, read-only, permission) raises
`VaultFull` or `VaultUnwritable` and leaves no partial file behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from offline_cache.errors import (
    HashMismatch,
    VaultCorrupt,
    VaultError,
    VaultFull,
    VaultUnwritable,
    vault_write_error,
)

__all__ = ["HashMismatch", "MediaVault", "VaultCorrupt", "VaultError", "VaultFull",
           "VaultUnwritable", "new_media_key"]

FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
SUFFIX = ".media"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def new_media_key() -> bytes:
    """A fresh 256-bit AES-GCM key (kept in the OS keyring by the caller)."""
    return AESGCM.generate_key(bit_length=256)


class MediaVault:
    """Encrypted media blobs in `directory`, keyed by SHA-256."""

    def __init__(self, directory: Path, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the media key must be 32 bytes (AES-256)")
        self.directory = Path(directory)
        with self._writing():
            self.directory.mkdir(parents=True, exist_ok=True)
            if stat.S_IMODE(self.directory.stat().st_mode) != 0o700:
                os.chmod(self.directory, 0o700)
        self._aead = AESGCM(key)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn the OS refusing a write (full, read-only, permission) into typed errors."""
        try:
            yield
        except OSError as exc:
            typed = vault_write_error(exc, self.directory)
            if typed is None:
                raise
            raise typed from exc

    def _path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.directory / f"{sha256}{SUFFIX}"

    def put(self, sha256: str, data: bytes) -> None:
        """Encrypt and store `data`; raises HashMismatch if it is not what was announced."""
        path = self._path(sha256)
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise HashMismatch(f"media hash is {actual}, expected {sha256}")
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, data, sha256.encode("ascii"))
        with self._writing():
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".incoming-")  # mode 0600
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(bytes([FORMAT_VERSION]) + nonce + sealed)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)  # never leave a partial file
                raise

    def get(self, sha256: str) -> bytes | None:
        """The decrypted, verified bytes; None if absent; VaultCorrupt if damaged."""
        path = self._path(sha256)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        # Recently used: `evict` removes the least recently used first. A read-only
        # vault still serves what it has.
        with suppress(OSError):
            os.utime(path)
        if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[0] != FORMAT_VERSION:
            raise VaultCorrupt(f"cached media {sha256[:12]}… is truncated or of an unknown format")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            data = self._aead.decrypt(nonce, sealed, sha256.encode("ascii"))
        except InvalidTag as exc:
            raise VaultCorrupt(
                f"cached media {sha256[:12]}… was altered or encrypted with another key"
            ) from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise VaultCorrupt(f"cached media {sha256[:12]}… does not match its hash")
        return data

    def has(self, sha256: str) -> bool:
        return self._path(sha256).exists()

    def discard(self, sha256: str) -> None:
        """Delete one blob (e.g. after VaultCorrupt, before downloading it again)."""
        self._unlink(self._path(sha256))

    def purge(self) -> int:
        """Delete every blob (and any interrupted write); returns how many were removed."""
        removed = 0
        for path in self.directory.iterdir():
            if path.is_file() and (path.suffix == SUFFIX or path.name.startswith(".incoming-")):
                self._unlink(path)
                removed += 1
        return removed

    def size_bytes(self) -> int:
        """Bytes the stored blobs take (their file sizes)."""
        return sum(size for _, size, _ in self._blobs())

    def evict(self, keep: Collection[str], cap_bytes: int) -> int:
        """Delete the least recently used blobs (oldest mtime first) whose hash is not
        in `keep`, until the vault holds at most `cap_bytes`; returns how many were
        deleted. Blobs in `keep` stay even if they alone exceed the cap."""
        blobs = self._blobs()
        total = sum(size for _, size, _ in blobs)
        removed = 0
        for _, size, path in sorted(blobs):
            if total <= cap_bytes:
                break
            if path.name.removesuffix(SUFFIX) in keep:
                continue
            self._unlink(path)
            total -= size
            removed += 1
        return removed

    def _blobs(self) -> list[tuple[int, int, Path]]:
        """(mtime in ns, size, path) of every stored blob, from one directory scan."""
        found = []
        with os.scandir(self.directory) as entries:
            for entry in entries:
                if entry.name.endswith(SUFFIX) and _SHA256.match(entry.name[: -len(SUFFIX)]):
                    try:
                        st = entry.stat()
                    except FileNotFoundError:
                        continue  # discarded by another thread meanwhile
                    found.append((st.st_mtime_ns, st.st_size, Path(entry.path)))
        return found

    def _unlink(self, path: Path) -> None:
        with self._writing():
            path.unlink(missing_ok=True)
