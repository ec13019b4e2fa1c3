"""Every error leaves the server as `ErrorReply` JSON with a proper status, never a bare 500
for bad input: validation errors, malformed JSON, unknown routes and methods included.
"""

from __future__ import annotations

import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from reviewer.protocol import ErrorReply
from server.media_store import MediaStoreError

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "body_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "too_many_requests",
    503: "busy",
}
RETRY_AFTER_SECONDS = 2
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_PG_BUSY = {"40001", "40P01", "55P03"}
"""PostgreSQL serialization failure, deadlock, lock not available: try again later."""

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorReply} for status in (401, 403, 404, 409, 413, 422, 429, 503)
}


class ApiError(StarletteHTTPException):
    """An HTTP error with a machine-readable code, e.g. `ApiError(409, "lease_expired", ...)`."""

    def __init__(self, status_code: int, code: str, detail: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, detail, headers)
        self.code = code


def error_response(status: int, code: str, detail: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorReply(error=code[:64], detail=detail[:4000])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = getattr(exc, "code", None) or _CODES.get(exc.status_code, "error")
    return error_response(exc.status_code, code, str(exc.detail or ""), exc.headers)


def _location(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    code = "malformed_json" if any(e.get("type") == "json_invalid" for e in errors) else (
        "validation_error")
    # Never echo the input back: it may be large or sensitive.
    detail = "; ".join(f"{_location(e.get('loc', ()))}: {e.get('msg', '')}" for e in errors[:20])
    return error_response(422, code, detail)


def is_busy(exc: OperationalError) -> bool:
    """True when the database was only busy (locked by other writers), not broken."""
    if getattr(exc.orig, "sqlstate", None) in _PG_BUSY:
        return True
    message = str(exc.orig).lower()
    return any(text in message for text in _SQLITE_BUSY)


def busy_response(detail: str) -> JSONResponse:
    return error_response(503, "busy", detail, {"Retry-After": str(RETRY_AFTER_SECONDS)})


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """Lock contention past the busy timeout is a 503 the client retries, never a 500."""
    assert isinstance(exc, OperationalError)
    if not is_busy(exc):
        return await _unexpected(request, exc)
    log.warning("database busy: %s %s", request.method, request.url.path)
    return busy_response("The database is busy with other writes; try again shortly.")


async def _media_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The object store failed: the client retries later, as for a busy database."""
    log.warning("media store failed: %s %s: %s", request.method, request.url.path, exc)
    return error_response(503, "media_unavailable", "The media store is unavailable; try "
                          "again shortly.", {"Retry-After": str(RETRY_AFTER_SECONDS)})


async def _pool_exhausted(request: Request, _exc: Exception) -> JSONResponse:
    log.warning("connection pool exhausted: %s %s", request.method, request.url.path)
    return busy_response("The server has no free database connection; try again shortly.")


def log_unexpected(method: str, path: str, exc: BaseException) -> None:
    """Log where the server failed, never what with: an exception's message can carry SQL
    parameters (reviewers' notes, content), so only its type and frames are logged."""
    frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
    log.error("unexpected %s in %s %s\n%s", type(exc).__name__, method, path, frames)


def internal_error() -> JSONResponse:
    # Retry-After spreads clients' retries out instead of inviting a storm
    return error_response(500, "internal_error", "The server failed to handle this request.",
                          {"Retry-After": str(RETRY_AFTER_SECONDS)})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log_unexpected(request.method, request.url.path, exc)
    return internal_error()


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    """The database refused a value the validation let through: the input's fault."""
    log.warning("database refused a value (%s): %s %s", type(exc).__name__, request.method,
                request.url.path)
    if isinstance(exc, IntegrityError):
        return error_response(409, "conflict", "The request conflicts with stored data.")
    return error_response(422, "invalid_value", "The database refused a value of this request.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(PoolTimeout, _pool_exhausted)
    app.add_exception_handler(MediaStoreError, _media_unavailable)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(IntegrityError, _data_error)
    app.add_exception_handler(Exception, _unexpected)
