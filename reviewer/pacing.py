"""Pacing of a review session: the daily item cap and the break schedule.

Both are enforced by the client from the cached wellness policy, so they hold when the
server is unreachable (invariant 4): the day's item count comes from the local outbox
(this reviewer's decisions whose `decided_at` falls on today's local day), and work
time is measured here with a monotonic clock. No network, no Qt; the only disk read is
one outbox query when a session starts or a new day begins.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from uuid import uuid4

from offline_cache.store import LocalStore
from reviewer.clock import Clock, day_start, monotonic, today, utc_now
from reviewer.errors import ExposureCapReached
from reviewer.protocol import BreakEntry, WellnessPolicy
from wellness.breaks import BreakSchedule

END_TOLERANCE_S = 0.001
"""A break this close to its end is over (the countdown shows 0:00 already)."""


class BreakDue(ExposureCapReached):
    """A decision was asked for while a break is due or under way."""

    default_message = "It is time for a break. Your decisions are saved."


class DailyItemCount:
    """How many distinct items this reviewer decided today, and whether the cap is met.

    Kept in memory after one count from the outbox; `add`/`withdraw` follow the
    session's own decisions so the check costs nothing on the GUI thread."""

    def __init__(self, store: LocalStore, username: str, policy: WellnessPolicy,
                 today: Callable[[], date] = today) -> None:
        self._store, self._username, self.policy = store, username, policy
        self._today = today
        self._lock = threading.Lock()
        self._day: date | None = None
        self._items: Counter[str] = Counter()

    def _roll_day(self) -> None:
        """Count today's decisions from the outbox when the day is new (or at start)."""
        today = self._today()
        if today == self._day:
            return
        midnight = day_start(today)  # aware, in the zone the server counts days in
        items = Counter(self._store.decisions_per_item_since(self._username, midnight))
        self._day, self._items = today, items

    def count(self) -> int:
        with self._lock:
            self._roll_day()
            return len(self._items)

    def add(self, item_id: str) -> None:
        with self._lock:
            self._roll_day()
            self._items[item_id] += 1

    def withdraw(self, item_id: str) -> None:
        """A decision of today left the outbox (undo before sync)."""
        with self._lock:
            self._items[item_id] -= 1
            if self._items[item_id] <= 0:
                del self._items[item_id]

    def reached(self, item_id: str | None = None) -> str | None:
        """A sentence when the cap stops a decision on `item_id` (None: on any new item).
        An item already decided today may be decided again (undo, change)."""
        cap = self.policy.daily_item_cap
        with self._lock:
            self._roll_day()
            if len(self._items) < cap or (item_id is not None and item_id in self._items):
                return None
        return (f"You have reviewed {cap} items today, your daily limit. Well done: "
                "please stop for today. Your decisions are saved and will sync.")


class WorkTimer:
    """Seconds of review work since the last break, and the break itself.

    The clock starts when the first item is shown, stops during a break and starts
    from zero after it. `clock` is monotonic (tests may pass a manual one)."""

    def __init__(self, policy: WellnessPolicy, clock: Clock = monotonic,
                 on_break_over: Callable[[datetime, float], None] | None = None) -> None:
        self.schedule = BreakSchedule(policy)
        self.clock = clock
        self._since: float | None = None
        self._break_started: float | None = None
        self._break_wall: datetime | None = None  # when the break began, for the report
        self._on_break_over = on_break_over
        """Called with (when the break began, seconds it lasted) as a break ends."""

    def touch(self) -> None:
        """Work is going on (an item is on screen): start the clock if it is not running."""
        if self._since is None and self._break_started is None:
            self._since = self.clock()

    def worked_seconds(self) -> float:
        if self._since is None or self._break_started is not None:
            return 0.0
        return max(0.0, self.clock() - self._since)

    @property
    def on_break(self) -> bool:
        return self._break_started is not None

    def break_due(self) -> bool:
        """True once a full interval of work has passed (False during the break)."""
        return not self.on_break and self.schedule.due(self.worked_seconds())

    def begin_break(self) -> None:
        if self._break_started is None:
            self._break_started = self.clock()
            self._break_wall = utc_now()
            self._since = None

    def break_seconds_left(self) -> float | None:
        """Seconds of the break still to go; None when not on a break."""
        if self._break_started is None:
            return None
        elapsed = self.clock() - self._break_started
        return max(0.0, self.schedule.break_seconds - elapsed)

    def end_break(self) -> bool:
        """End the break once its time is up (False, and still on break, before that);
        work time starts again from zero."""
        left = self.break_seconds_left()
        if left is None:
            return True
        if left > END_TOLERANCE_S:  # a clock's float arithmetic is not exact to the second
            return False
        taken = self.clock() - self._break_started
        self._break_started = None
        self._since = self.clock()
        if self._on_break_over is not None and self._break_wall is not None:
            self._on_break_over(self._break_wall, taken)
        return True


def check_pace(breaks: WorkTimer, items_today: DailyItemCount, item_id: str) -> None:
    """Refuse a decision during a (due) break, or on a new item past today's item cap."""
    if breaks.on_break or breaks.break_due():
        raise BreakDue()
    reason = items_today.reached(item_id)
    if reason:
        raise ExposureCapReached(reason)


def break_logger(store: LocalStore, username: str) -> Callable[[datetime, float], None]:
    """What a session's WorkTimer calls as a break ends: the break goes to the local break
    log, and the sync sends it (the wellness report counts breaks taken against due)."""

    def log_break(began: datetime, seconds: float) -> None:
        store.break_add(BreakEntry(break_id=uuid4(), due_at=began,
                                   taken_seconds=min(86_400, round(seconds))),
                        username=username)

    return log_break
