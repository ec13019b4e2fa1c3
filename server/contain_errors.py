"""The last net under every route: an unexpected exception becomes a 500 `ErrorReply` and
one log line with its type and frames only (`server.errors.log_unexpected`).

Why a middleware and not only an exception handler: Starlette's outermost error
middleware re-raises after calling the handler, and uvicorn then logs the exception's
full message, which for a database error carries the SQL parameters (notes, content).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import internal_error, log_unexpected


class ContainErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - the point of this middleware
            log_unexpected(scope["method"], scope["path"], exc)
            if not started:
                await internal_error()(scope, receive, send)
