"""Synthetic test media made with cheap Pillow operations: gradients, shapes, smooth noise
and captions (the demo's photo-like pictures are `server.demo_scenes`). No real content
of any kind. Also the deliberately broken files the
client must survive (truncated JPEG, decompression bomb, wrong MIME, hash mismatch).
"""

from __future__ import annotations

import colorsys
import io
import random
import struct
import zlib
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw


@dataclass(frozen=True)
class _Shape:
    kind: str  # "ellipse" or "rectangle"
    box: tuple[int, int, int, int]
    colour: tuple[int, int, int]

    @property
    def area(self) -> int:
        return (self.box[2] - self.box[0]) * (self.box[3] - self.box[1])


@dataclass(frozen=True)
class _Plan:
    rotations: tuple[int, int, int]
    noise_sigma: float
    shapes: tuple[_Shape, ...]


def _plan(width: int, height: int, seed: int) -> _Plan:
    """Every random choice of a synthetic picture, so it can be drawn and described."""
    rng = random.Random(seed)
    rotations = (rng.choice((0, 90, 180, 270)), rng.choice((0, 90, 180, 270)),
                 rng.choice((0, 90, 180, 270)))
    sigma = rng.uniform(20, 60)
    shapes = []
    for _ in range(rng.randint(3, 8)):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1 = min(width, x0 + rng.randint(width // 10 + 1, width // 3 + 2))
        y1 = min(height, y0 + rng.randint(height // 10 + 1, height // 3 + 2))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        kind = "ellipse" if rng.random() < 0.5 else "rectangle"
        shapes.append(_Shape(kind, (x0, y0, max(x0, x1), max(y0, y1)), colour))
    return _Plan(rotations, sigma, tuple(shapes))


def synthetic_image(width: int, height: int, seed: int, caption: str = "") -> Image.Image:
    """A colourful RGB picture of `width` x `height`, fast even at 12 megapixels."""
    plan = _plan(width, height, seed)
    base = Image.linear_gradient("L")
    channels = [base.rotate(angle).resize((width, height)) for angle in plan.rotations]
    image = Image.merge("RGB", channels)
    noise_size = (max(1, width // 16), max(1, height // 16))
    noise = Image.effect_noise(noise_size, plan.noise_sigma).resize((width, height))
    image = ImageChops.add(image, Image.merge("RGB", [noise] * 3), scale=1.3)
    draw = ImageDraw.Draw(image)
    for shape in plan.shapes:
        (draw.ellipse if shape.kind == "ellipse" else draw.rectangle)(shape.box,
                                                                      fill=shape.colour)
    if caption:
        draw.text((8, 8), caption, fill=(255, 255, 255))
    return image


def colour_name(rgb: tuple[int, int, int]) -> str:
    """A plain colour word for an RGB triple (for neutral descriptions)."""
    hue, saturation, value = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    if value < 0.2:
        return "black"
    if saturation < 0.2:
        return "white" if value > 0.85 else "grey"
    for limit, name in _HUES:
        if hue * 360 < limit:
            return name
    return "red"


_HUES = ((15, "red"), (45, "orange"), (70, "yellow"), (160, "green"), (200, "teal"),
         (255, "blue"), (290, "purple"), (335, "pink"))


def encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85)
    else:
        image.save(out, "PNG", compress_level=1)  # light compression: seeding must stay quick
    return out.getvalue()


def truncated_jpeg(seed: int) -> bytes:
    data = encode(synthetic_image(640, 480, seed, "truncated"), "JPEG")
    return data[: len(data) // 2]


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def decompression_bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small PNG whose header declares `width` x `height` pixels (10 gigapixels)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * 4096)  # a few zero rows; the rest is simply missing
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows)
            + _png_chunk(b"IEND", b""))


def not_an_image() -> bytes:
    """Plain text, to be declared image/jpeg."""
    return b"This is plain text, not a JPEG image. Synthetic test content.\n" * 20


def tampered(data: bytes) -> bytes:
    """The same length as `data`, different bytes: stored under `data`'s hash."""
    flipped = bytearray(data)
    for index in range(0, len(flipped), max(1, len(flipped) // 64)):
        flipped[index] ^= 0xFF
    return bytes(flipped)
