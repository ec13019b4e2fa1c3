"""Display renditions ("previews") of large images, made by the server at ingest.

Why: no review window shows more than `PREVIEW_EDGE` pixels along its long edge, yet a
12-megapixel original is 1-5 MB and costs a client hundreds of milliseconds to decode. A
~0.2-0.5 MB JPEG of display size cuts the bytes each client downloads, the time it spends
decoding, and the bytes it keeps (encrypted) in its offline cache.

It runs at ingest, once per item, before the write transaction opens (CPU work never
holds the database write lock). The original stays as it was and is served too. Whatever
this module cannot read safely gets no preview: the client then shows the original, or
its own "cannot display" if the original is bad. Pillow's global switches
(`LOAD_TRUNCATED_IMAGES`, `MAX_IMAGE_PIXELS`) are left alone.
"""

from __future__ import annotations

import io
import logging

from PIL import Image, ImageOps

from reviewer.protocol import PREVIEW_EDGE

log = logging.getLogger(__name__)

PREVIEW_MIME = "image/jpeg"
PREVIEW_QUALITY = 85
MAX_PIXELS = 50_000_000
"""Images larger than this (by their header) get no preview: decoding them costs too much."""
GREY = (128, 128, 128)
"""What transparency is laid onto: neutral, so it neither hides nor invents content."""
_DRAFT_MARGIN = 0.9
"""Let the JPEG decoder scale down a little below the fit (4000 px decodes at 1/2, 2000 px)
rather than decode at full size and shrink."""

_FORMATS: dict[str, tuple[str, frozenset[str]]] = {
    # declared mime: (the only Pillow format tried, the formats accepted once open)
    "image/jpeg": ("JPEG", frozenset({"JPEG", "MPO"})),
    "image/png": ("PNG", frozenset({"PNG"})),
    "image/webp": ("WEBP", frozenset({"WEBP"})),
    "image/gif": ("GIF", frozenset({"GIF"})),
}
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


def make_preview(data: bytes, mime: str) -> bytes | None:
    """A metadata-free JPEG of `data`, upright, long edge at most `PREVIEW_EDGE`; None when
    the image needs none (already small) or cannot be read safely (unknown or mismatched
    format, too many pixels, corrupt or truncated)."""
    known = _FORMATS.get(mime)
    if known is None:
        return None
    opener, accepted = known
    try:
        with Image.open(io.BytesIO(data), formats=[opener]) as image:
            if image.format not in accepted:
                return None
            width, height = image.size  # from the header: no pixels decoded yet
            if width * height > MAX_PIXELS or max(width, height) <= PREVIEW_EDGE:
                return None
            return _render(image)
    except Exception as exc:  # a hostile or broken upload must never fail the ingest
        log.info("no preview for %d bytes declared %s: %s: %s", len(data), mime,
                 type(exc).__name__, exc)
        return None


def _render(image: Image.Image) -> bytes:
    if image.format in ("JPEG", "MPO"):
        scale = PREVIEW_EDGE / max(image.size) * _DRAFT_MARGIN
        image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    image.load()  # the first frame of an animation
    ImageOps.exif_transpose(image, in_place=True)
    alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
    target = "RGBA" if alpha else "RGB"
    picture = image if image.mode == target else image.convert(target)
    picture.thumbnail((PREVIEW_EDGE, PREVIEW_EDGE))  # shrinks only, keeps the aspect
    if alpha:  # shrunk first: compositing the small image is cheaper
        grey = Image.new("RGBA", picture.size, (*GREY, 255))
        picture = Image.alpha_composite(grey, picture).convert("RGB")
    picture.info = {}  # no EXIF, XMP, ICC profile or comment reaches the output
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=PREVIEW_QUALITY)
    return out.getvalue()
