"""The media vault: downloaded media, encrypted at rest with AES-GCM (invariant 5).

One file per blob, named by its SHA-256. File format: 1 version byte, 12-byte nonce,
ciphertext with the 16-byte GCM tag; the hash is the associated data, so a file
renamed to another hash fails to decrypt. Plaintext never touches the disk: it is
encrypted in memory and written through a temp file + `os.replace`, owner-only.
Reads verify the tag and the hash again; anything else raises `VaultCorrupt` rather
than returning wrong bytes. Never call from the GUI thread (file I/O and crypto).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
SUFFIX = ".media"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class VaultError(Exception):
    """Something is wrong with a cached media blob."""


class HashMismatch(VaultError):
    """The bytes given to `put` do not have the SHA-256 they were announced with."""


class VaultCorrupt(VaultError):
    """A stored blob was altered, truncated, or encrypted with another key."""


def new_media_key() -> bytes:
    """A fresh 256-bit AES-GCM key (kept in the OS keyring by the caller)."""
    return AESGCM.generate_key(bit_length=256)


class MediaVault:
    """Encrypted media blobs in `directory`, keyed by SHA-256."""

    def __init__(self, directory: Path, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the media key must be 32 bytes (AES-256)")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        self._aead = AESGCM(key)

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
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".incoming-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(bytes([FORMAT_VERSION]) + nonce + sealed)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> bytes | None:
        """The decrypted, verified bytes; None if absent; VaultCorrupt if damaged."""
        path = self._path(sha256)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
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
        self._path(sha256).unlink(missing_ok=True)

    def purge(self) -> int:
        """Delete every blob (and any interrupted write); returns how many were removed."""
        removed = 0
        for path in self.directory.iterdir():
            if path.is_file() and (path.suffix == SUFFIX or path.name.startswith(".incoming-")):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
