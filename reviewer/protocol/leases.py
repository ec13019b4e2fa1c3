"""Leasing items, renewing and releasing leases."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from reviewer.protocol.base import MAX_LEASE_ITEMS, Name, WireModel
from reviewer.protocol.items import Item, Taxonomy


class LeaseRequest(WireModel):
    max_items: Annotated[int, Field(ge=1, le=MAX_LEASE_ITEMS)] = 20
    request_id: Name | None = None
    """Made by the client once per lease it wants; a repeat (its reply was lost) gets the
    same lease and items back instead of claiming more."""
    offline: bool = False
    """A batch taken offline on purpose (a planned outage, travel): a longer lease, and
    more undecided items allowed (both bounded by server settings)."""


class LeaseReply(WireModel):
    lease_id: Name
    queue: Name
    expires_at: datetime
    taxonomy: Taxonomy
    items: Annotated[list[Item], Field(max_length=MAX_LEASE_ITEMS)]


class LeaseRenewed(WireModel):
    lease_id: Name
    expires_at: datetime


class LeaseReleased(WireModel):
    lease_id: Name
    released: Annotated[int, Field(ge=0)]
