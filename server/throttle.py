"""Login throttling per username and per client address, on the `limits` library's moving
windows, kept in the database (server.throttle_storage) so that every server process on it
shares the counts. A failed login answers a little later each time (a growing delay,
awaited without holding a worker thread); past the limit the server answers 429 with
`Retry-After` before any password hashing, so a flood of logins cannot starve the other
routes.

Every method is a blocking database round trip: the async login route calls them in the
thread pool, never on the event loop.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.strategies import MovingWindowRateLimiter

from server.config import ServerSettings
from server.db import Database
from server.errors import ApiError
from server.throttle_storage import DatabaseStorage

MAX_DELAY = 2.0


class LoginThrottle:
    def __init__(self, settings: ServerSettings, db: Database) -> None:
        self.storage = DatabaseStorage(db)
        self._limiter = MovingWindowRateLimiter(self.storage)
        self._user_failures = parse(settings.login_failures_per_user)
        self._address_failures = parse(settings.login_failures_per_address)
        self._address_attempts = parse(settings.login_attempts_per_address)
        self._step = settings.login_delay_step

    def _keys(self, username: str, address: str) -> list[tuple[RateLimitItem, str]]:
        return [(self._user_failures, "user:" + username.lower()),
                (self._address_failures, "failed-from:" + address)]

    def admit(self, username: str, address: str) -> None:
        """Count an attempt; raise 429 when the name or address is over a limit."""
        for item, key in self._keys(username, address):
            if not self._limiter.test(item, key):
                self._refuse(item, key)
        if not self._limiter.hit(self._address_attempts, "from:" + address):
            self._refuse(self._address_attempts, "from:" + address)

    def failed(self, username: str, address: str) -> float:
        """Count a failure; return the seconds to wait before answering it."""
        used = 0
        for item, key in self._keys(username, address):
            self._limiter.hit(item, key)
            stats = self._limiter.get_window_stats(item, key)
            used = max(used, item.amount - stats.remaining)
        return min(self._step * max(used - 1, 0), MAX_DELAY)

    def succeeded(self, username: str) -> None:
        """A right password forgives the name's earlier failures (not the address's)."""
        self._limiter.clear(self._user_failures, "user:" + username.lower())

    def _refuse(self, item: RateLimitItem, key: str) -> None:
        reset = self._limiter.get_window_stats(item, key).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        raise ApiError(429, "too_many_logins",
                       f"Too many login attempts; try again in {wait} seconds.",
                       {"Retry-After": str(wait)})
