"""Admin ingest of one item (media as base64)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from reviewer.protocol import ItemCreate, ItemCreated
from server.deps import AdminUser, DbDep
from server.errors import ERROR_RESPONSES
from server.services.items import ingest_item

router = APIRouter(tags=["items"], responses=ERROR_RESPONSES)


@router.post("/items", response_model=ItemCreated, status_code=201)
def create_item(body: ItemCreate, _user: AdminUser, db: DbDep, request: Request) -> ItemCreated:
    return ingest_item(db, request.app.state.media, body)
