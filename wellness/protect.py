"""Protective transforms: what a reviewer sees before (and instead of) the original.

`prepare_image` is the one entry point the client uses: it decodes untrusted bytes at
the scale of the view (see `wellness.decode`), then produces the protected rendering
(greyscale, Gaussian blur scaled to the displayed size, optional pixelation, or at the
`warning` level a plain card; see `wellness.protection` for the ladder) and the revealed
rendering, both already the size they will be painted. The protected image never
carries original pixels. Runs on worker threads only, never on the GUI thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter, UnidentifiedImageError

from reviewer.protocol import WellnessPolicy
from wellness.decode import MIME_FORMATS, MediaError, decode_for_view, decode_full
from wellness.protection import Protection, protection_for

__all__ = [
    "MediaError",
    "PreparedImage",
    "blur_sigma",
    "gaussian_blur",
    "mask_text",
    "naive_protect",
    "prepare_image",
    "protect",
    "protect_with",
    "warning_card",
]

# Even a thumbnail gets a blur that hides detail.
MIN_SIGMA = 2.0
MASK_CHAR = "\u2588"
CARD_COLOUR = (46, 48, 54)
CARD_EDGE = (90, 94, 104)
_MIME_BY_FORMAT = {fmt: mime for mime, fmt in MIME_FORMATS.items()}


@dataclass(frozen=True)
class PreparedImage:
    """An image ready to paint: both renderings RGB, the same size, fitting the view."""

    protected: Image.Image
    revealed: Image.Image
    source_size: tuple[int, int]


def prepare_image(
    data: bytes,
    declared_mime: str,
    target: tuple[int, int],
    policy: WellnessPolicy,
    severity: int,
    category: str | None = None,
) -> PreparedImage:
    """Decode untrusted bytes to fit `target` and protect them; raises MediaError."""
    revealed, source_size = decode_for_view(data, declared_mime, target)
    return PreparedImage(
        protected=protect(revealed, policy, severity, category),
        revealed=revealed,
        source_size=source_size,
    )


def blur_sigma(size: tuple[int, int], policy: WellnessPolicy, severity: int,
               category: str | None = None) -> float:
    """Blur strength in pixels: a share of the displayed short edge, by the item's level
    on the ladder (by default more for severity 3); 0 for `none` and `warning`."""
    return _sigma(size, protection_for(policy, category, severity))


def _sigma(size: tuple[int, int], protection: Protection) -> float:
    if protection.sigma_pct <= 0:
        return 0.0
    return max(protection.sigma_pct / 100.0 * min(size), MIN_SIGMA)


def protect(img: Image.Image, policy: WellnessPolicy, severity: int,
            category: str | None = None) -> Image.Image:
    """The protected rendering of an already downscaled image, as a new RGB image.

    Blur is computed on the image as displayed, so its strength looks the same whatever
    the source resolution. The result is guaranteed to differ from the input.
    """
    return protect_with(img, protection_for(policy, category, severity))


def protect_with(img: Image.Image, protection: Protection) -> Image.Image:
    """`protect` for an already chosen protection (see `wellness.protection`)."""
    source = img if img.mode == "RGB" else img.convert("RGB")
    if protection.shows_nothing:
        return _ensure_differs(warning_card(source.size), source)
    work = source.convert("L") if protection.greyscale else source
    sigma = _sigma(work.size, protection)
    if sigma > 0:
        work = gaussian_blur(work, sigma)
    if protection.pixelate:
        work = pixelate(work, block=max(2, round(sigma)))
    protected = work.convert("RGB") if work.mode != "RGB" else work
    return _ensure_differs(protected, source)


def warning_card(size: tuple[int, int]) -> Image.Image:
    """The `warning` level: a plain card made from the size alone, nothing of the item."""
    card = Image.new("RGB", size, CARD_COLOUR)
    width, height = size
    if width > 8 and height > 8:
        ImageDraw.Draw(card).rectangle([2, 2, width - 3, height - 3], outline=CARD_EDGE,
                                       width=2)
    return card


def gaussian_blur(img: Image.Image, sigma: float) -> Image.Image:
    """Gaussian blur; strong blurs run on a shrunk copy, which looks the same and is
    several times faster (a blur of sigma s keeps no detail finer than about s/3)."""
    factor = max(1, min(8, int(sigma // 4)))
    if factor == 1:
        return img.filter(ImageFilter.GaussianBlur(radius=sigma))
    small = img.reduce(factor).filter(ImageFilter.GaussianBlur(radius=sigma / factor))
    return small.resize(img.size, Image.Resampling.BILINEAR)


def pixelate(img: Image.Image, block: int) -> Image.Image:
    """Average over `block`-pixel squares, then scale back up without smoothing."""
    width, height = img.size
    small = img.resize(
        (max(1, -(-width // block)), max(1, -(-height // block))), Image.Resampling.BOX
    )
    return small.resize((width, height), Image.Resampling.NEAREST)


def _ensure_differs(protected: Image.Image, source: Image.Image) -> Image.Image:
    """A flat image survives blur unchanged; hatch it so the protected view is never it."""
    if ImageChops.difference(protected, source).getbbox() is not None:
        return protected
    hatched = protected.copy()
    draw = ImageDraw.Draw(hatched)
    width, height = hatched.size
    r, g, b = hatched.getpixel((0, 0))  # type: ignore[misc]
    ink = (255 - r, 255 - g, 255 - b)
    for offset in range(-height, width, 12):
        draw.line([(offset, 0), (offset + height, height)], fill=ink, width=1)
    hatched.putpixel((0, 0), ink)
    return hatched


def naive_protect(data: bytes, policy: WellnessPolicy, severity: int) -> Image.Image:
    """Full-resolution decode and blur: the benchmark's baseline, not for the client."""
    try:
        with Image.open(io.BytesIO(data), formats=list(MIME_FORMATS.values())) as probe:
            mime = _MIME_BY_FORMAT.get(probe.format or "", "application/octet-stream")
    except (UnidentifiedImageError, OSError) as exc:
        raise MediaError("The file cannot be read as an image.") from exc
    full = decode_full(data, mime)
    work = full.convert("L") if policy.greyscale else full
    work = work.filter(ImageFilter.GaussianBlur(radius=blur_sigma(work.size, policy, severity)))
    if policy.pixelate:
        work = pixelate(work, block=max(2, round(blur_sigma(work.size, policy, severity))))
    return work.convert("RGB")


def mask_text(text: str) -> str:
    """Hide letters and digits behind blocks, keeping layout (spaces, punctuation, lines)."""
    return "".join(MASK_CHAR if ch.isalnum() else ch for ch in text)
