"""The server's own latency histogram (`/metrics`), read twice to tell what share of a
route's requests took longer than a bound inside the server: from the request reaching
the app to its reply leaving it. The load bench prints it beside what its clients timed,
which also holds the network, the server's accept queue and the generator's own delays.
"""

from __future__ import annotations

import re
from collections import defaultdict

import httpx

METRIC = "reviewer_http_request_duration_seconds_bucket{"
_LABEL = re.compile(r'(\w+)="([^"]*)"')

Buckets = dict[tuple[str, str], dict[float, float]]  # (method, route) -> le -> count


async def scrape(base: str) -> Buckets:
    """Cumulative bucket counts by (method, route template), summed over the workers."""
    async with httpx.AsyncClient(timeout=30) as http:
        text = (await http.get(base + "/metrics")).text
    found: Buckets = defaultdict(lambda: defaultdict(float))
    for line in text.splitlines():
        if not line.startswith(METRIC):
            continue
        labels, value = line.rsplit(" ", 1)
        fields = dict(_LABEL.findall(labels))
        found[(fields["method"], fields["route"])][float(fields["le"])] += float(value)
    return found


def describe(before: Buckets, after: Buckets, method: str, route: str,
             bound: float) -> str:
    """`n`, the share over `bound` and the bucket the 99th percentile falls in."""
    now, then = after.get((method, route), {}), before.get((method, route), {})
    counts = {le: now[le] - then.get(le, 0.0) for le in sorted(now)}
    total = counts.get(float("inf"), 0.0)
    if not total:
        return "no requests"
    over = 1 - counts.get(bound, 0.0) / total
    p99 = next(le for le, count in counts.items() if count >= 0.99 * total)
    return (f"n={total:.0f}, {over:.1%} over {bound * 1000:.0f} ms, "
            f"p99 <= {p99 * 1000:.0f} ms (histogram bucket)")
