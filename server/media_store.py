"""Content-addressed media under the server's data directory: `media/ab/abcdef...`.

The file name is the sha256 of the bytes; the client checks it again on download.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class MediaStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, sha256: str) -> Path:
        return self.directory / sha256[:2] / sha256

    @staticmethod
    def sha256(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def put(self, data: bytes) -> str:
        sha256 = self.sha256(data)
        if not self.path(sha256).exists():
            self.write_raw(sha256, data)
        return sha256

    def write_raw(self, sha256: str, data: bytes) -> None:
        """Write bytes under a name without checking it: seeding uses it for a tampered file.

        Atomic, and safe when several requests store the same content at once: each
        writes its own temporary file and renames it over the target.
        """
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{sha256[:8]}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()
