"""Media bytes, only for a holder of a live lease on an item using them, or a QA lead.

An item uses its original and its preview alike: both are served under the same rules.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import and_, case, or_, select

from server.deps import DbDep, ReviewerOrQA
from server.errors import ERROR_RESPONSES, ApiError
from server.media_store import MediaStore
from server.models import Item, Lease, utcnow
from server.renditions import PREVIEW_MIME
from server.services.shared_items import held_by

router = APIRouter(tags=["media"], responses=ERROR_RESPONSES)

Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


@router.get(
    "/media/{sha256}",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def get_media(sha256: Sha256Path, user: ReviewerOrQA, db: DbDep, request: Request
              ) -> StreamingResponse:
    now = utcnow()
    with db.session() as session:
        mime_of_match = case((Item.media_sha256 == sha256, Item.mime), else_=PREVIEW_MIME)
        uses = select(mime_of_match).where(
            or_(Item.media_sha256 == sha256, Item.preview_sha256 == sha256))
        if "qa_lead" not in user.roles:
            # The item's own lease, or (gold and overlap items) the caller's assignment.
            uses = uses.outerjoin(Lease, Lease.id == Item.lease_id).where(or_(
                and_(Lease.reviewer == user.username, Lease.released_at.is_(None),
                     Lease.expires_at > now, Item.lease_expires_at > now),
                held_by(user.username, now)))
        mime = session.scalars(uses.limit(1)).first()
    if mime is None:
        raise ApiError(403, "no_live_lease",
                       "Media is served only for items under your live lease.")
    # The rule above is the only access check, whatever the store: files or a bucket.
    store: MediaStore = request.app.state.media
    body = store.open(sha256)
    if body is None:
        raise ApiError(404, "media_missing", "The media file is missing on the server.")
    return StreamingResponse(body, media_type=mime,
                             headers={"Cache-Control": "no-store",
                                      "Content-Length": str(body.size)})
