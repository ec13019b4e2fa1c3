"""Helpers of the network tests: logging a workstation in as a fresh reviewer."""

from __future__ import annotations

from typing import Any

from server_harness import PASSWORD, Harness


def reviewer_login(workstation: Any, url: str, net: Harness, name: str = "rev") -> None:
    """Make reviewer `name` on the server and log the workstation in through `url`."""
    net.user(name)
    workstation.login(url, name, PASSWORD)


def lease_rows(net: Harness, reviewer: str | None = None) -> int:
    """Lease rows on the server (of `reviewer`, or everyone's)."""
    from sqlalchemy import func, select

    from server.models import Lease

    with net.db.session() as session:
        query = select(func.count(Lease.id))
        if reviewer:
            query = query.where(Lease.reviewer == reviewer)
        return session.scalar(query) or 0


def free_items(net: Harness, queue: str) -> int:
    """Items of `queue` anyone may lease right now."""
    from sqlalchemy import func, select

    from server.models import Item, utcnow
    from server.services.leasing import available

    with net.db.session() as session:
        return session.scalar(select(func.count(Item.id))
                              .where(Item.queue == queue, available(utcnow()))) or 0
