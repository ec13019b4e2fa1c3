"""The scheme rule for a server address: a token travels in clear over `http://`, so the
client sends it that way only to this machine (loopback) unless told `--allow-insecure`.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from reviewer.errors import ReviewerError


class InsecureServer(ReviewerError):
    default_message = ("The server address uses http://, which would send your password "
                       "and token unencrypted. Use https://, or allow it explicitly "
                       "(--allow-insecure) on a network you trust.")


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure(url: str, *, allow_insecure: bool = False) -> None:
    """Raise InsecureServer for `http://` to a host other than loopback, unless allowed.
    `url` is a normalised server URL (`reviewer.api.normalize_server_url`)."""
    parts = urlsplit(url)
    if parts.scheme == "https" or allow_insecure:
        return
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return
    raise InsecureServer()
