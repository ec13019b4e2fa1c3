"""Reading the review server's replies: bodies read under a size cap while they stream,
error statuses mapped to the core's error types (with the server's sentence), bodies
validated against the wire protocol. Used by `reviewer.api.ApiClient`."""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from reviewer.backoff import parse_retry_after
from reviewer.errors import AuthExpired, Forbidden, ProtocolError, RequestRejected
from reviewer.net_errors import ServerBusy
from reviewer.protocol import ErrorReply

M = TypeVar("M", bound=BaseModel)


def read_capped(response: httpx.Response, max_bytes: int, too_large: Exception) -> bytes:
    """The body, read chunk by chunk; `too_large` is raised as soon as it passes
    `max_bytes` (or says it will), so an oversized reply is never held whole."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    buffer = bytearray()
    for chunk in response.iter_bytes():
        if len(buffer) + len(chunk) > max_bytes:
            raise too_large
        buffer += chunk
    return bytes(buffer)


def raise_for_status(response: httpx.Response) -> None:
    """Map an error status to the core's error types, with the server's detail."""
    status = response.status_code
    if status < 400:
        return
    detail, code = _error_detail(response)
    if status == 401:
        raise AuthExpired()
    if status == 403:
        raise Forbidden(detail or None)
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        message = ("The review server is busy" if status in (429, 503)
                   else f"The review server had a problem (HTTP {status})")
        raise ServerBusy(f"{message}. Your work is kept and will sync later.",
                         retry_after=retry_after, status=status)
    raise RequestRejected(detail or f"The review server refused the request (HTTP {status}).",
                          status=status, code=code)


def _error_detail(response: httpx.Response) -> tuple[str, str]:
    try:
        error = ErrorReply.model_validate_json(response.content)
    except (ValidationError, ValueError):
        return "", ""
    return error.detail or error.error, error.error


def parse_reply(model: type[M], response: httpx.Response) -> M:
    """Validate a 2xx reply body against `model`; anything else is a ProtocolError."""
    try:
        return model.model_validate_json(response.content)
    except (ValidationError, ValueError) as exc:
        raise ProtocolError() from exc
