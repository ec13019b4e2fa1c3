"""Network errors beyond the core's (reviewer.errors): a busy server that said when to
come back, a reply too large to read, an address that is not one. Each carries a
sentence the UI shows as it is."""

from __future__ import annotations

from reviewer.errors import ProtocolError, ReviewerError, ServerUnavailable


class ServerBusy(ServerUnavailable):
    """The server answered 429 or 5xx; `retry_after` is its `Retry-After` in seconds
    (None when it sent none). Retried with backoff, never sooner than it asked."""

    default_message = "The review server is busy. Your work is kept and will sync later."

    def __init__(self, message: str | None = None, *, retry_after: float | None = None,
                 status: int = 503) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


class ReplyTooLarge(ProtocolError):
    """A reply grew past the size this workstation reads; refused while streaming."""

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(
            f"The review server sent a reply larger than {limit_bytes // (1024 * 1024)} MB; "
            "it was refused to protect this computer. Your work is kept; please tell "
            "your administrator.")
        self.limit_bytes = limit_bytes


class InvalidServerAddress(ReviewerError):
    """The address the user typed is not a usable http(s) URL."""

    def __init__(self, address: str, why: str) -> None:
        shown = address if len(address) <= 200 else address[:200] + "…"
        super().__init__(f"“{shown}” is not a valid server address: {why}. "
                         "Type it like https://review.example.com or http://127.0.0.1:8000.")
        self.address = address


def retry_after_of(error: BaseException) -> float | None:
    """The server's Retry-After carried by an error, if any."""
    return getattr(error, "retry_after", None)
