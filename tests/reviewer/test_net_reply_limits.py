"""What the client reads is bounded: a reply over the cap is refused while it streams
(memory stays near the cap, never the reply's size), and an address the user types is
checked with a sentence, never a traceback."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest

from reviewer.api import MAX_REPLY_BYTES, ApiClient, normalize_server_url
from reviewer.cli import main
from reviewer.net_errors import InvalidServerAddress, ReplyTooLarge

MB = 1024 * 1024


def _endless_json() -> Iterator[bytes]:
    """A lease reply that never ends well: 200 MB of JSON text in 1 MB chunks, with no
    Content-Length (a server would never send it; a hostile one might)."""
    yield b'{"lease_id": "L-1", "queue": "q", "items": ["'
    chunk = b"x" * MB
    for _ in range(200):
        yield chunk


def test_an_oversized_reply_is_refused_while_streaming_with_bounded_memory() -> None:
    transport = httpx.MockTransport(lambda _request: httpx.Response(200, content=_endless_json()))
    api = ApiClient("http://review.test", "token", transport=transport,
                    max_reply_bytes=8 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(ReplyTooLarge) as refused:
            api.lease("q", 20)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        api.close()
    assert peak < 24 * MB  # the cap and a chunk or two, not 200 MB
    assert "larger than 8 MB" in refused.value.message
    assert MAX_REPLY_BYTES <= 64 * MB


def test_a_declared_oversized_reply_is_refused_before_reading() -> None:
    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(500 * MB)},
                              content=iter([b"{}"]))

    api = ApiClient("http://review.test", "token", transport=httpx.MockTransport(handler),
                    max_reply_bytes=MB)
    with pytest.raises(ReplyTooLarge):
        api.queues()
    api.close()


@pytest.mark.parametrize("address", [
    "http://[::1", "http://", "ftp://review.example.com", "http://host:99999",
    "http://review example.com", "http://host/?x=1", "   ",
])
def test_a_bad_server_address_is_refused_with_a_sentence(address: str) -> None:
    with pytest.raises(InvalidServerAddress) as refused:
        normalize_server_url(address)
    assert "is not a valid server address" in refused.value.message


@pytest.mark.parametrize("address", ["review.example.com:8000", "https://h/api/v1/",
                                     "http://[::1]:8000", "127.0.0.1:8000"])
def test_good_server_addresses_pass(address: str) -> None:
    assert normalize_server_url(address).startswith(("http://", "https://"))


def test_reviewer_login_with_a_bad_address_says_so_without_a_traceback(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("not asked\n"))
    code = main(["login", "--server", "http://[::1", "--username", "demo",
                 "--password-stdin"])
    err = capsys.readouterr().err
    assert code == 1
    assert "is not a valid server address" in err
    assert "Traceback" not in err
