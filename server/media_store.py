"""Content-addressed media: local files under the data directory (`media/ab/abcdef...`) by
default, or any S3-compatible bucket (`media_url = s3://bucket/prefix`).

The name is the sha256 of the bytes; the client checks it again on download. Both stores
stream both ways: `put` takes bytes, a file path or a file object and never reads a file
whole; `open` gives the bytes back in chunks. Who may read media is decided in one place,
the media route, never here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

CHUNK = 256 * 1024

MediaSource = bytes | Path | IO[bytes]


class MediaStoreError(OSError):
    """The object store failed (unreachable, refused credentials, no such bucket): a 503
    to clients, never a 500 and never the store's own message."""


@dataclass
class MediaBody:
    """An open stored object: its size and its bytes in chunks (closed when exhausted)."""

    size: int
    _chunks: Iterator[bytes]
    _close: Callable[[], None]

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._chunks
        finally:
            self._close()

    def close(self) -> None:
        self._close()


def _hash_source(src: MediaSource) -> str:
    if isinstance(src, bytes):
        return hashlib.sha256(src).hexdigest()
    digest = hashlib.sha256()
    if isinstance(src, Path):
        with src.open("rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()
    start = src.tell()
    while chunk := src.read(CHUNK):
        digest.update(chunk)
    src.seek(start)
    return digest.hexdigest()


class MediaStore(ABC):
    staging_dir: Path
    """Where ingest may stage a file before `adopt` (on the same file system for local)."""

    @staticmethod
    def sha256(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def put(self, src: MediaSource) -> str:
        """Store content under its sha256 (once); bytes, a path or a seekable file object."""
        sha256 = _hash_source(src)
        if not self.exists(sha256):
            self.write_raw(sha256, src)
        return sha256

    @abstractmethod
    def write_raw(self, sha256: str, src: MediaSource) -> None:
        """Write content under a name without checking it: seeding uses it for a tampered
        file. Safe when several requests store the same content at once."""

    @abstractmethod
    def adopt(self, tmp: Path, sha256: str) -> None:
        """Store a staged file (already hashed by the caller) under its name; `tmp` is gone
        afterwards."""

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def open(self, sha256: str) -> MediaBody | None:
        """The stored bytes in chunks, or None when there is no such object."""

    @abstractmethod
    def delete(self, sha256: str) -> None: ...

    def read_bytes(self, sha256: str) -> bytes:
        body = self.open(sha256)
        if body is None:
            raise FileNotFoundError(sha256)
        return b"".join(body)


class LocalMediaStore(MediaStore):
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.staging_dir = directory

    def path(self, sha256: str) -> Path:
        return self.directory / sha256[:2] / sha256

    def write_raw(self, sha256: str, src: MediaSource) -> None:
        """Atomic: each writer writes its own temporary file and renames it over the target."""
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{sha256[:8]}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(src, bytes):
                    out.write(src)
                elif isinstance(src, Path):
                    with src.open("rb") as f:
                        shutil.copyfileobj(f, out, CHUNK)
                else:
                    shutil.copyfileobj(src, out, CHUNK)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def adopt(self, tmp: Path, sha256: str) -> None:
        self.path(sha256).parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, self.path(sha256))

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> MediaBody | None:
        try:
            f = self.path(sha256).open("rb")
        except FileNotFoundError:
            return None
        size = os.fstat(f.fileno()).st_size
        return MediaBody(size, iter(lambda: f.read(CHUNK), b""), f.close)

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)


class S3MediaStore(MediaStore):
    """Objects `prefix/ab/abcdef...` in a bucket, through boto3 (multipart upload for large
    files). Endpoint and credentials: `endpoint_url`, else boto3's usual sources
    (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION,
    ~/.aws)."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 staging_dir: Path | None = None, client: Any = None) -> None:
        if client is None:
            try:
                import boto3
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise RuntimeError("S3 media needs boto3: pip install "
                                   "'reviewer-workstation[s3]'") from exc
            client = boto3.client("s3", endpoint_url=endpoint_url)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.staging_dir = staging_dir or Path(tempfile.gettempdir())

    def key(self, sha256: str) -> str:
        name = f"{sha256[:2]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def _missing(self, exc: Exception) -> bool:
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        return code in {"404", "NoSuchKey", "NotFound"}

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """A client call; the store's failures become MediaStoreError, a missing key
        returns None."""
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, name)(*args, **kwargs)
        except ClientError as exc:
            if self._missing(exc):
                return None
            raise MediaStoreError(f"object store: {name} failed "
                                  f"({exc.response.get('Error', {}).get('Code')})") from exc
        except (BotoCoreError, S3UploadFailedError) as exc:
            raise MediaStoreError(f"object store: {name} failed ({type(exc).__name__})"
                                  ) from exc

    def write_raw(self, sha256: str, src: MediaSource) -> None:
        # An object appears whole or not at all, so concurrent writers are safe.
        if isinstance(src, bytes):
            self._call("put_object", Bucket=self.bucket, Key=self.key(sha256), Body=src)
        elif isinstance(src, Path):
            self._call("upload_file", str(src), self.bucket, self.key(sha256))
        else:
            self._call("upload_fileobj", src, self.bucket, self.key(sha256))

    def adopt(self, tmp: Path, sha256: str) -> None:
        try:
            if not self.exists(sha256):
                self._call("upload_file", str(tmp), self.bucket, self.key(sha256))
        finally:
            tmp.unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        return self._call("head_object", Bucket=self.bucket, Key=self.key(sha256)) is not None

    def open(self, sha256: str) -> MediaBody | None:
        got = self._call("get_object", Bucket=self.bucket, Key=self.key(sha256))
        if got is None:
            return None
        stream = got["Body"]
        return MediaBody(int(got["ContentLength"]), stream.iter_chunks(CHUNK), stream.close)

    def delete(self, sha256: str) -> None:
        self._call("delete_object", Bucket=self.bucket, Key=self.key(sha256))


def open_media_store(media_url: str | None, data_dir: Path, *,
                     endpoint_url: str | None = None) -> MediaStore:
    """`None` (local files under data_dir/media) or `s3://bucket/prefix`."""
    if not media_url:
        return LocalMediaStore(Path(data_dir) / "media")
    parsed = urlparse(media_url)
    if parsed.scheme == "file":
        return LocalMediaStore(Path(parsed.path))
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"unsupported media URL {media_url!r}: use s3://bucket/prefix "
                         "(or leave it out for files in the data directory)")
    return S3MediaStore(parsed.netloc, parsed.path, endpoint_url=endpoint_url,
                        staging_dir=Path(data_dir) / "media-staging")
