"""Refuse control characters in request text with 422, the same on every backend.

PostgreSQL cannot store U+0000 in text or JSON and answered a note holding one with a 500
(which clients retry forever); SQLite stored it. Every JSON string (keys included), the
query string and the path are checked here, before any route runs. Tab, line feed and
carriage return are allowed (notes have lines); C1 controls (U+0080-U+009F) are refused
too. Bodies without a JSON `\\u` escape, a raw DEL or a raw C1 control cannot hold one
(raw C0 controls are invalid JSON, refused by validation) and skip the parse.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import ApiError, error_response

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MAYBE = re.compile(rb"\\u|\x7f|\xc2[\x80-\x9f]", re.IGNORECASE)
"""A JSON escape, or DEL or a C1 control written raw in UTF-8 (legal in JSON strings)."""


def has_control_characters(value: Any) -> bool:
    """True when any string in a decoded JSON value holds a forbidden control character."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            if _FORBIDDEN.search(current):
                return True
        elif isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _body_is_bad(body: bytes) -> bool:
    if not _MAYBE.search(body):
        return False
    try:
        return has_control_characters(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON: validation answers it


class RefuseControlCharacters:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = unquote(scope.get("query_string", b"").decode("latin-1"))
        if _FORBIDDEN.search(scope["path"]) or _FORBIDDEN.search(query):
            await self._refuse(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if b"json" not in headers.get(b"content-type", b""):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:  # bounded: BodySizeLimit (outside this guard) caps what comes in
            try:
                message = await receive()
            except ApiError as exc:  # the body is over the size cap
                await error_response(exc.status_code, exc.code, str(exc.detail))(
                    scope, receive, send)
                return
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if _body_is_bad(body):
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body,
                                        "more_body": False}], receive), send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        reply = error_response(422, "control_character",
                               "Text must not contain NUL or other control characters.")
        await reply(scope, receive, send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
