"""Safe decoding of untrusted image bytes, at the smallest scale the view needs.

Every image a reviewer sees comes from outside: it may be truncated, a decompression
bomb, something else than its declared MIME type, or not an image at all. This module
turns each of those into a `MediaError` whose `.reason` is a sentence a reviewer
understands, and never into a crash. It checks the declared size BEFORE any pixel is
decoded, never changes Pillow's global switches (`LOAD_TRUNCATED_IMAGES`,
`MAX_IMAGE_PIXELS`), and decodes JPEGs at 1/2, 1/4 or 1/8 scale with `draft()`.
It must never be called on the GUI thread (decoding takes milliseconds to seconds).
"""

from __future__ import annotations

import contextlib
import io
import threading
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.JpegImagePlugin import JpegImageFile

# A 12 MP photo is 12_000_000; nothing we review legitimately needs more than this.
MAX_PIXELS = 50_000_000

# A JPEG may come out of its DCT scaling up to 10% smaller than the exact fit of the
# view; the view scales that last bit at paint time, at no visible cost.
DRAFT_FILL = 0.9

# Small images are shown larger, up to this many times their own size (a phone
# screenshot fills the view; a 64-pixel icon stays a small, soft picture, not a smear).
MAX_UPSCALE = 4.0
MIN_UPSCALE = 1.1  # below this the gain is not worth a resampling pass

MIME_FORMATS: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
_FORMAT_LABELS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
# Phone cameras write multi-picture JPEGs; Pillow calls them MPO, the web image/jpeg.
_SAME_FORMAT = {"MPO": "JPEG"}

# EXIF orientations that swap width and height when applied.
_SWAPS_AXES = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112

# `warnings.catch_warnings` swaps the process-wide filter list; the lock keeps our own
# concurrent decoders from restoring each other's filters. It is held only while Pillow
# reads the header (microseconds), never while pixels decode.
_WARNINGS_LOCK = threading.Lock()


class MediaError(Exception):
    """An item's media cannot be shown; `.reason` says why in a reviewer's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_checked(data: bytes, declared_mime: str) -> Image.Image:
    """Open `data` lazily (header only) and check it is what it claims and not a bomb."""
    expected = MIME_FORMATS.get(declared_mime)
    if expected is None:
        raise MediaError(f"This kind of file ({declared_mime}) cannot be displayed.")
    label = _FORMAT_LABELS[expected]
    if not data:
        raise MediaError("The file is empty.")
    img = _open_header(data, label)
    if _SAME_FORMAT.get(img.format or "", img.format) != expected:
        found = _FORMAT_LABELS.get(img.format or "", img.format or "unknown")
        raise MediaError(f"The file is a {found} image, not a {label} image as declared.")
    width, height = img.size
    if width <= 0 or height <= 0:
        raise MediaError("The image has no pixels.")
    if width * height > MAX_PIXELS:
        raise MediaError(f"The image is too large to open safely ({width}\u00d7{height} pixels).")
    return img


def _open_header(data: bytes, label: str) -> Image.Image:
    """Parse the header with bomb warnings turned into errors, for this call only."""
    try:
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=list(MIME_FORMATS.values()))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError("The image is too large to open safely.") from exc
    except UnidentifiedImageError as exc:
        raise MediaError(
            f"The file is not a {label} image as declared; it cannot be read as an image."
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(f"The {label} image header is damaged.") from exc


def orientation_swaps_axes(img: Image.Image) -> bool:
    """True when the EXIF orientation turns the stored image by 90 degrees.

    Call it only on a loaded image, or a JPEG (whose EXIF is in its header): PNG reads
    its EXIF by decoding the whole file, and a failure there must not be swallowed.
    """
    try:
        return img.getexif().get(_EXIF_ORIENTATION, 1) in _SWAPS_AXES
    except Exception:  # a broken EXIF block only loses the rotation
        return False


def fit_size(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with `size`'s aspect ratio inside `box`, never enlarged."""
    scale = min(box[0] / size[0], box[1] / size[1], 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def decode_for_view(
    data: bytes, declared_mime: str, target: tuple[int, int]
) -> tuple[Image.Image, tuple[int, int]]:
    """Decode untrusted bytes to an upright RGB image fitting `target`, plus source size.

    JPEGs decode at a reduced scale (`draft`), other formats decode fully and are
    shrunk with `reduce` before any further work, so later transforms touch at most
    about target-many pixels. The source size is the original's, upright.
    """
    if target[0] < 1 or target[1] < 1:
        raise ValueError(f"target must be positive, got {target}")
    img = open_checked(data, declared_mime)
    width, height = img.size  # before draft() shrinks it
    if isinstance(img, JpegImageFile):  # MPO included
        # A JPEG's EXIF sits in its header; other formats (PNG) may decode the whole
        # image to find it, so they are asked only after a checked load.
        swaps = orientation_swaps_axes(img)
        box = (target[1], target[0]) if swaps else target
        _draft_near(img, fit_size(img.size, box))
        _load(img)
    else:
        _load(img)
        swaps = orientation_swaps_axes(img)
        box = (target[1], target[0]) if swaps else target
    source = (height, width) if swaps else (width, height)
    img = to_resizable(img)
    img.thumbnail(box, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return flatten_rgb(_upright(_enlarge(img, box))), source


def _enlarge(img: Image.Image, box: tuple[int, int]) -> Image.Image:
    """A small image scaled up (smoothly, at most MAX_UPSCALE times) to fit `box`, so a
    reviewer can judge it and its protection at a readable size."""
    scale = min(box[0] / img.width, box[1] / img.height, MAX_UPSCALE)
    if scale < MIN_UPSCALE:
        return img
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.BICUBIC)


def _draft_near(img: Image.Image, wanted: tuple[int, int]) -> None:
    """Decode a JPEG at the DCT scale (1/2, 1/4, 1/8) nearest to `wanted`.

    draft() picks the smallest scale still at least the size asked for; asking for a
    little less than the exact fit lets a nearby smaller scale win and skips a full
    resampling pass, the slowest step after decoding itself.
    """
    width, height = (max(1, int(side * DRAFT_FILL)) for side in wanted)
    img.draft("RGB", (width, height))


def decode_full(data: bytes, declared_mime: str) -> Image.Image:
    """Decode at full resolution (the benchmark's naive baseline), upright RGB."""
    img = open_checked(data, declared_mime)
    _load(img)
    return flatten_rgb(_upright(to_resizable(img)))


def _load(img: Image.Image) -> None:
    """Decode pixels; a truncated or corrupt stream is a MediaError, not a crash."""
    label = _FORMAT_LABELS.get(img.format or "", "image")
    try:
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError("The image is too large to open safely.") from exc
    except OSError as exc:
        if "truncated" in str(exc).lower():
            raise MediaError(f"The {label} image is truncated.") from exc
        raise MediaError(f"The {label} image is damaged and cannot be decoded.") from exc
    except (ValueError, SyntaxError, IndexError, EOFError, MemoryError) as exc:
        raise MediaError(f"The {label} image is damaged and cannot be decoded.") from exc


def _upright(img: Image.Image) -> Image.Image:
    """Apply EXIF orientation in place (our own decoded copy; saves a full copy);
    a broken EXIF block leaves the image as stored."""
    with contextlib.suppress(Exception):  # rotation is cosmetic, the pixels are fine
        ImageOps.exif_transpose(img, in_place=True)
    return img


def to_resizable(img: Image.Image) -> Image.Image:
    """Convert exotic modes (palette, CMYK, 16-bit, 1-bit) to ones resize handles well."""
    mode = img.mode
    try:
        if mode in ("RGB", "L", "RGBA", "LA"):
            return img
        if mode == "P":
            return img.convert("RGBA" if "transparency" in img.info else "RGB")
        if mode == "PA":
            return img.convert("RGBA")
        if mode == "1":
            return img.convert("L")
        if mode.startswith("I;16") or mode in ("I", "F"):
            return _sixteen_bit_to_l(img)
        return img.convert("RGB")
    except (ValueError, OSError) as exc:
        raise MediaError(f"The image's colour format ({mode}) cannot be displayed.") from exc


def _sixteen_bit_to_l(img: Image.Image) -> Image.Image:
    """Map 16-bit samples to 8 bits by scaling (a plain convert would clip to white)."""
    wide = img.convert("F") if img.mode == "F" else img.convert("I")
    _, hi = wide.getextrema()
    top = 255.0 if hi <= 255 else 65535.0
    return wide.point(lambda v: v * (255.0 / top)).convert("L")


def flatten_rgb(img: Image.Image) -> Image.Image:
    """RGB with any transparency laid on neutral grey, so hidden pixels show as seen."""
    if img.mode in ("RGBA", "LA"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (128, 128, 128, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if img.mode != "RGB":
        return img.convert("RGB")
    return img
