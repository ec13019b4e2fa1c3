"""The caller's address, for throttling and the audit log. Behind a reverse proxy the
server must be started so that uvicorn trusts the proxy's `X-Forwarded-For`
(`--forwarded-allow-ips`), else every caller shares the proxy's address."""

from __future__ import annotations

from starlette.requests import HTTPConnection


def client_address(request: HTTPConnection) -> str:
    return request.client.host if request.client else "unknown"
