"""Every error leaves the server as `ErrorReply` JSON with a proper status, never a bare 500
for bad input: validation errors, malformed JSON, unknown routes and methods included.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reviewer.protocol import ErrorReply

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "body_too_large",
    415: "unsupported_media_type", 422: "validation_error",
}

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorReply} for status in (401, 403, 404, 409, 413, 422)
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


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return error_response(500, "internal_error", "The server failed to handle this request.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
