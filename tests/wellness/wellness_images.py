"""Synthetic images and measurements for the wellness tests (cheap Pillow operations)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter, ImageStat


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def scene(size: tuple[int, int]) -> Image.Image:
    """A colourful RGB picture with sharp edges (so blur is measurable)."""
    grad = Image.linear_gradient("L").resize(size)
    img = Image.merge(
        "RGB", (grad, grad.transpose(Image.Transpose.FLIP_LEFT_RIGHT), grad.rotate(180))
    )
    draw = ImageDraw.Draw(img)
    w, h = size
    for i in range(0, w, max(8, w // 40)):
        draw.line([(i, 0), (i, h)], fill=(255, 255, 0), width=max(1, w // 400))
    draw.ellipse((w // 4, h // 4, w // 2, h // 2), fill=(220, 20, 60))
    return img


def edge_energy(img: Image.Image) -> float:
    """Mean edge strength: high for sharp detail, low once blurred."""
    return ImageStat.Stat(img.convert("L").filter(ImageFilter.FIND_EDGES)).mean[0]


def is_grey(img: Image.Image) -> bool:
    r, g, b = img.split()
    return r.tobytes() == g.tobytes() == b.tobytes()


def patch_png_size(png: bytes, width: int, height: int) -> bytes:
    """Rewrite a PNG's IHDR dimensions (and its CRC) without touching the pixel data."""
    assert png[12:16] == b"IHDR"
    ihdr = bytearray(png[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return png[:16] + bytes(ihdr) + crc + png[33:]
