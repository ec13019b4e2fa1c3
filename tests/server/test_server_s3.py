"""Media in an S3-compatible bucket (`media_url = s3://bucket/prefix`), against moto in
server mode on loopback: ingest (the API and the command line) writes objects, a leaseholder
streams them back intact, the access rule and the error replies are those of local files,
a large object is uploaded in parts and arrives whole, seeding (with its deliberately
broken media) fills the bucket, and the local and S3 stores behave alike.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_harness import Harness, free_port

from reviewer.protocol import MediaRef
from server.cli import main
from server.db import Database
from server.embedded import EmbeddedServer
from server.media_gen import encode, synthetic_image
from server.media_store import MediaStore, S3MediaStore, open_media_store
from server.models import Item
from server.services.items import add_item, ensure_queue

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

BUCKET = "review-media"
PREFIX = "prod/media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 on 127.0.0.1 at a free port, with dummy credentials in the environment."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in CREDENTIALS.items():
            env.setenv(name, value)
        for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
            env.delenv(name, raising=False)
        port = free_port()
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
        server.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.stop()


@pytest.fixture
def bucket(s3_endpoint: str) -> Any:
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.create_bucket(Bucket=BUCKET)
    yield s3
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for obj in page.get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=obj["Key"])
    s3.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def s3_harness(server_dirs: tuple[str, Path], s3_endpoint: str, bucket: Any
               ) -> Iterator[Harness]:
    server = EmbeddedServer(*server_dirs,
                            lease_ttl=60, media_url=f"s3://{BUCKET}/{PREFIX}",
                            s3_endpoint_url=s3_endpoint).start()
    h = Harness(server)
    try:
        yield h
    finally:
        h.close()
        server.stop()


def _keys(s3: Any) -> set[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET)
    return {obj["Key"] for obj in listed.get("Contents", [])}


def _key(sha256: str) -> str:
    return f"{PREFIX}/{sha256[:2]}/{sha256}"


def _local_media(h: Harness) -> list[Path]:
    media = h.server.data_dir / "media"
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_posted_image_is_stored_in_the_bucket_and_served_to_the_leaseholder_only(
        s3_harness: Harness, bucket: Any) -> None:
    h = s3_harness
    admin, alice, bob = h.user("root", "admin"), h.user("alice"), h.user("bob")
    qa = h.user("qa", "qa_lead")
    with h.db.writer() as session:
        ensure_queue(session, "q")
    png = encode(synthetic_image(64, 48, 3), "PNG")
    reply = h.http.post("/items", headers=admin, json={
        "queue": "q", "kind": "image", "category": "test", "mime": "image/png",
        "media_base64": base64.b64encode(png).decode()})
    assert reply.status_code == 201, reply.text
    sha = hashlib.sha256(png).hexdigest()
    assert reply.json()["media"]["sha256"] == sha
    assert _key(sha) in _keys(bucket)
    assert _local_media(h) == []  # nothing written to the data directory

    path = f"/media/{sha}"
    assert h.http.get(path, headers=alice).status_code == 403  # no lease yet
    lease = h.lease(alice, "q", 1)
    assert lease["items"][0]["media"]["sha256"] == sha
    mine = h.http.get(path, headers=alice)
    assert mine.status_code == 200
    assert mine.content == png and hashlib.sha256(mine.content).hexdigest() == sha
    assert mine.headers["content-type"] == "image/png"
    assert mine.headers["cache-control"] == "no-store"
    assert int(mine.headers["content-length"]) == len(png)

    denied = h.http.get(path, headers=bob)  # the same rule as local files
    assert denied.status_code == 403 and denied.json()["error"] == "no_live_lease"
    assert h.http.get(path, headers=qa).status_code == 200
    h.http.delete(f"/leases/{lease['lease_id']}", headers=alice)
    assert h.http.get(path, headers=alice).status_code == 403


def test_missing_object_is_a_404_json_error(s3_harness: Harness, bucket: Any) -> None:
    h = s3_harness
    h.queue("q", 1, images=1)  # the harness writes media through the S3 store
    alice = h.user("alice")
    media = h.lease(alice, "q", 1)["items"][0]["media"]
    assert _key(media["sha256"]) in _keys(bucket)
    bucket.delete_object(Bucket=BUCKET, Key=_key(media["sha256"]))
    gone = h.http.get(f"/media/{media['sha256']}", headers=alice)
    assert gone.status_code == 404
    assert gone.json()["error"] == "media_missing"
    # And a stranger learns nothing about it: the lease check comes first.
    assert h.http.get(f"/media/{media['sha256']}", headers=h.user("bob")).status_code == 403


def test_large_object_is_uploaded_in_parts_and_streamed_back_intact(
        s3_harness: Harness, bucket: Any, tmp_path: Path) -> None:
    h = s3_harness
    big = tmp_path / "big.mp4"
    chunk = os.urandom(1024 * 1024)
    with big.open("wb") as out:  # 9 MiB: over boto3's 8 MiB multipart threshold
        for n in range(9):
            out.write(bytes([n]) + chunk[1:])
    expected = hashlib.sha256(big.read_bytes()).hexdigest()
    sha = h.media.put(big)  # from a path, hashed and uploaded in chunks
    assert sha == expected
    head = bucket.head_object(Bucket=BUCKET, Key=_key(sha))
    assert head["ContentLength"] == 9 * 1024 * 1024
    assert "-" in head["ETag"]  # a multipart upload's ETag
    with h.db.writer() as session:
        ensure_queue(session, "v")
        add_item(session, queue="v", kind="video", category="test", severity=0,
                 media=MediaRef(sha256=sha, mime="video/mp4", bytes=9 * 1024 * 1024))
    alice = h.user("alice")
    h.lease(alice, "v", 1)
    digest, size, pieces = hashlib.sha256(), 0, 0
    with h.http.stream("GET", f"/media/{sha}", headers=alice) as reply:
        assert reply.status_code == 200
        assert reply.headers["cache-control"] == "no-store"
        assert "transfer-encoding" not in reply.headers  # a length, not a buffered blob
        for piece in reply.iter_raw():
            digest.update(piece)
            size += len(piece)
            pieces += 1
    assert size == 9 * 1024 * 1024 and digest.hexdigest() == sha
    assert pieces > 1


def test_write_raw_keeps_deliberately_broken_media_on_s3(s3_harness: Harness) -> None:
    """Seeding stores a tampered file under the original's name: the server serves it as is
    (the client's hash check is what catches it)."""
    h = s3_harness
    assert isinstance(h.media, S3MediaStore)
    original = encode(synthetic_image(32, 32, 1), "PNG")
    sha = h.media.sha256(original)
    h.media.write_raw(sha, original[:-10] + b"tampered!!")
    with h.db.writer() as session:
        ensure_queue(session, "b")
        add_item(session, queue="b", kind="image", category="test", severity=0,
                 media=MediaRef(sha256=sha, mime="image/png", bytes=len(original)))
    alice = h.user("alice")
    h.lease(alice, "b", 1)
    got = h.http.get(f"/media/{sha}", headers=alice)
    assert got.status_code == 200
    assert got.content.endswith(b"tampered!!")
    assert hashlib.sha256(got.content).hexdigest() != sha


def test_cli_ingest_with_media_url_streams_files_to_the_bucket(
        tmp_path: Path, server_dirs: tuple[str, Path], s3_endpoint: str, bucket: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "in" / "photo.png"
    image.parent.mkdir()
    image.write_bytes(encode(synthetic_image(900, 700, 5), "PNG"))  # large: gets a preview
    db_url, data_dir = server_dirs
    code = main(["ingest", "spam", str(image), "--db", db_url, "--data-dir", str(data_dir),
                 "--media-url", f"s3://{BUCKET}/{PREFIX}", "--s3-endpoint-url", s3_endpoint])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "1 added" in out.out
    db = Database(db_url, strict=True)
    try:
        with db.session() as session:
            item = session.query(Item).one()
            media, preview = item.media_sha256, item.preview_sha256
    finally:
        db.dispose()
    assert media == hashlib.sha256(image.read_bytes()).hexdigest()
    assert {_key(media)} | ({_key(preview)} if preview else set()) == _keys(bucket)
    assert not (data_dir / "media").exists() or not any((data_dir / "media").rglob("*"))
    staging = data_dir / "media-staging"
    assert not staging.exists() or not any(staging.iterdir())  # no staged file left behind


def test_a_bad_media_url_is_refused() -> None:
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        open_media_store("ftp://somewhere/x", Path("/tmp"))


@pytest.fixture(params=["local", "s3"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> MediaStore:
    if request.param == "local":
        return open_media_store(None, tmp_path)
    endpoint = request.getfixturevalue("s3_endpoint")
    request.getfixturevalue("bucket")
    return open_media_store(f"s3://{BUCKET}/{PREFIX}", tmp_path, endpoint_url=endpoint)


def test_both_stores_take_bytes_paths_and_file_objects_alike(any_store: MediaStore,
                                                             tmp_path: Path) -> None:
    store = any_store
    data = os.urandom(300_000)
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    assert not store.exists(sha) and store.open(sha) is None
    assert store.put(src) == sha and store.exists(sha)
    with src.open("rb") as f:
        assert store.put(f) == sha
    assert store.put(data) == sha
    body = store.open(sha)
    assert body is not None and body.size == len(data)
    chunks = list(body)
    assert len(chunks) > 1 and b"".join(chunks) == data  # in chunks, not whole
    store.delete(sha)
    assert not store.exists(sha)


def test_seed_demo_with_media_url_puts_everything_in_the_bucket(
        server_dirs: tuple[str, Path], s3_endpoint: str, bucket: Any) -> None:
    from server.seed import seed_demo

    db_url, data_dir = server_dirs
    summary = seed_demo(db_url, data_dir, scale="small", media_url=f"s3://{BUCKET}/{PREFIX}",
                        s3_endpoint_url=s3_endpoint)
    assert summary.broken
    db = Database(db_url, strict=True)
    try:
        with db.session() as session:
            shas = {s for item in session.query(Item).all()
                    for s in (item.media_sha256, item.preview_sha256) if s}
    finally:
        db.dispose()
    assert shas and {_key(s) for s in shas} <= _keys(bucket)
    assert not (data_dir / "media").exists()


def test_a_failing_store_is_a_503_not_a_500(server_dirs: tuple[str, Path], s3_endpoint: str
                                           ) -> None:
    """A bucket that is not there (or refuses the server's key): the client is told to
    retry, and the store's own message stays in the server's log."""
    server = EmbeddedServer(*server_dirs,
                            lease_ttl=60, media_url="s3://no-such-bucket/x",
                            s3_endpoint_url=s3_endpoint).start()
    h = Harness(server)
    try:
        admin, alice = h.user("root", "admin"), h.user("alice")
        with h.db.writer() as session:
            ensure_queue(session, "q")
            add_item(session, queue="q", kind="image", category="test", severity=0,
                     media=MediaRef(sha256="ab" * 32, mime="image/png", bytes=10))
        png = encode(synthetic_image(16, 16, 1), "PNG")
        posted = h.http.post("/items", headers=admin, json={
            "queue": "q", "kind": "image", "category": "test", "mime": "image/png",
            "media_base64": base64.b64encode(png).decode()})
        assert posted.status_code == 503 and posted.json()["error"] == "media_unavailable"
        assert "Retry-After" in posted.headers
        h.lease(alice, "q", 1)
        got = h.http.get(f"/media/{'ab' * 32}", headers=alice)
        assert got.status_code == 503 and got.json()["error"] == "media_unavailable"
        assert "no-such-bucket" not in got.text
        assert h.http.get(f"/media/{'ab' * 32}", headers=h.user("bob")).status_code == 403
    finally:
        h.close()
        server.stop()


class _SlowBody:
    """An S3 body whose second chunk comes only once the client holds the first one."""

    def __init__(self, first_seen: threading.Event) -> None:
        self.first_seen = first_seen
        self.closed = False

    def iter_chunks(self, _size: int) -> Iterator[bytes]:
        yield b"a" * 65536
        assert self.first_seen.wait(10), "the server held the body back"
        yield b"b" * 65536

    def close(self) -> None:
        self.closed = True


class _StubClient:
    def __init__(self, body: _SlowBody) -> None:
        self.body = body

    def get_object(self, **_: Any) -> dict[str, Any]:
        return {"Body": self.body, "ContentLength": 2 * 65536}


def test_the_route_streams_the_object_rather_than_buffering_it(s3_harness: Harness) -> None:
    """The server sends the first chunk before the store has given it the second: it never
    holds an object whole (with moto itself this cannot be seen, as moto keeps objects in
    memory)."""
    h = s3_harness
    h.queue("q", 1, images=1)
    alice = h.user("alice")
    sha = h.lease(alice, "q", 1)["items"][0]["media"]["sha256"]
    first_seen = threading.Event()
    body = _SlowBody(first_seen)
    app = h.server._server.config.app  # type: ignore[union-attr]
    real = app.state.media
    app.state.media = S3MediaStore(BUCKET, PREFIX, client=_StubClient(body))
    try:
        with h.http.stream("GET", f"/media/{sha}", headers=alice) as reply:
            assert reply.status_code == 200
            pieces = reply.iter_raw()
            received = next(pieces)
            first_seen.set()
            for piece in pieces:
                received += piece
    finally:
        app.state.media = real
    assert received == b"a" * 65536 + b"b" * 65536
    deadline = time.monotonic() + 5  # closed by the server thread once the body is sent
    while not body.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert body.closed
