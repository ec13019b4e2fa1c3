"""An ASGI guard that refuses request bodies over a size cap with 413, before or while
they stream in, so an oversized upload never reaches JSON parsing or storage.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import ApiError, error_response


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limit_for: Callable[[str, str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            status, code = (413, "body_too_large") if declared.isdigit() else (400, "bad_request")
            reply = error_response(status, code, f"Request bodies are limited to {limit} bytes.")
            await reply(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ApiError(413, "body_too_large",
                                   f"Request bodies are limited to {limit} bytes.")
            return message

        await self.app(scope, counting_receive, send)
