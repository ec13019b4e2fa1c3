"""Renew or release a lease (its holder only)."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter

from reviewer.protocol import LeaseReleased, LeaseRenewed
from server.access import check_renewal
from server.deps import DbDep, ReviewerUser, SettingsDep
from server.errors import ERROR_RESPONSES
from server.routes import NamePath
from server.services.leasing import release_lease, renew_lease

router = APIRouter(prefix="/leases", tags=["leases"], responses=ERROR_RESPONSES)


@router.post("/{lease}/renew", response_model=LeaseRenewed)
def renew(lease: NamePath, user: ReviewerUser, db: DbDep,
          settings: SettingsDep) -> LeaseRenewed:
    return renew_lease(db, lease, user.username, settings.lease_ttl,
                       rule=partial(check_renewal, settings=settings))


@router.delete("/{lease}", response_model=LeaseReleased)
def release(lease: NamePath, user: ReviewerUser, db: DbDep) -> LeaseReleased:
    return release_lease(db, lease, user.username)
