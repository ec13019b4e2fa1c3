"""Synthetic demo media made with cheap Pillow operations: gradients, shapes, smooth noise
and captions. No real content of any kind. Also the deliberately broken files the
client must survive (truncated JPEG, decompression bomb, wrong MIME, hash mismatch).
"""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageChops, ImageDraw


def synthetic_image(width: int, height: int, seed: int, caption: str = "") -> Image.Image:
    """A colourful RGB picture of `width` x `height`, fast even at 12 megapixels."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L")
    channels = [base.rotate(rng.choice((0, 90, 180, 270))).resize((width, height))
                for _ in range(3)]
    image = Image.merge("RGB", channels)
    noise_size = (max(1, width // 16), max(1, height // 16))
    noise = Image.effect_noise(noise_size, rng.uniform(20, 60)).resize((width, height))
    image = ImageChops.add(image, Image.merge("RGB", [noise] * 3), scale=1.3)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 8)):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1 = min(width, x0 + rng.randint(width // 10 + 1, width // 3 + 2))
        y1 = min(height, y0 + rng.randint(height // 10 + 1, height // 3 + 2))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x0, y0, max(x0, x1), max(y0, y1)), fill=colour)
    if caption:
        draw.text((8, 8), caption, fill=(255, 255, 255))
    return image


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
