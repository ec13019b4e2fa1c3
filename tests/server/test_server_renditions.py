"""`make_preview`: large images shrink to an upright, metadata-free JPEG; small, foreign,
oversized or broken input gets no preview and never raises. All images are synthetic."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from PIL import ExifTags, Image, ImageFile

from reviewer.protocol import PREVIEW_EDGE
from server.media_gen import decompression_bomb_png, encode, not_an_image, synthetic_image
from server.renditions import PREVIEW_MIME, make_preview


def _save(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _open(data: bytes | None) -> Image.Image:
    assert data is not None, "expected a preview"
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and PREVIEW_MIME == "image/jpeg"
    image.load()
    return image


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


@pytest.fixture(scope="module")
def photo_12mp() -> bytes:
    return encode(synthetic_image(4000, 3000, 5, "12 MP"), "JPEG")


def test_a_12_megapixel_jpeg_decodes_at_half_scale_into_a_much_smaller_jpeg(
        photo_12mp: bytes) -> None:
    preview = make_preview(photo_12mp, "image/jpeg")
    image = _open(preview)
    assert 1500 <= max(image.size) <= PREVIEW_EDGE
    assert image.size == (2000, 1500)  # the decoder's 1/2 scale, no second resize
    assert image.mode == "RGB"
    assert preview is not None and len(preview) < len(photo_12mp) / 2


def test_one_pixel_past_the_edge_is_shrunk_to_it() -> None:
    image = _open(make_preview(encode(synthetic_image(2049, 300, 1), "JPEG"), "image/jpeg"))
    assert image.width == PREVIEW_EDGE and abs(image.height - 300) <= 1


def test_exif_orientation_is_applied_and_no_metadata_survives() -> None:
    stored = Image.new("RGB", (3000, 2200), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 1500, 2200))  # left half red as stored
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90 degrees clockwise to view"
    exif[ExifTags.Base.Make] = "SyntheticCam"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    data = _save(stored, "JPEG", exif=exif, comment=b"synthetic secret comment")
    assert Image.open(io.BytesIO(data)).getexif()[ExifTags.Base.Orientation] == 6

    preview = make_preview(data, "image/jpeg")
    image = _open(preview)
    assert image.width < image.height and max(image.size) == PREVIEW_EDGE  # upright
    assert _close(image.getpixel((image.width // 2, 20)), (255, 0, 0))  # stored left is up
    assert _close(image.getpixel((image.width // 2, image.height - 20)), (0, 0, 255))
    assert not image.getexif() and not {"exif", "comment", "icc_profile", "xmp"} & set(
        image.info)
    assert preview is not None
    assert b"Exif\x00\x00" not in preview and b"SyntheticCam" not in preview
    assert b"synthetic secret comment" not in preview


def test_transparency_is_laid_onto_neutral_grey() -> None:
    rgba = Image.new("RGBA", (2400, 1800), (255, 0, 0, 0))  # red, but fully transparent
    rgba.paste((0, 200, 0, 255), (1200, 0, 2400, 1800))  # right half opaque green
    image = _open(make_preview(_save(rgba, "PNG"), "image/png"))
    assert image.mode == "RGB" and image.size == (2048, 1536)
    assert _close(image.getpixel((200, 700)), (128, 128, 128), tolerance=4)
    assert _close(image.getpixel((1800, 700)), (0, 200, 0))

    palette = Image.new("P", (2100, 200), 0)
    palette.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    palette.paste(1, (1050, 0, 2100, 200))
    image = _open(make_preview(_save(palette, "GIF", transparency=0), "image/gif"))
    assert _close(image.getpixel((100, 50)), (128, 128, 128), tolerance=4)
    assert _close(image.getpixel((2000, 50)), (0, 0, 255))


def test_cmyk_greyscale_webp_and_mpo_are_read() -> None:
    cmyk = Image.new("CMYK", (2400, 1800), (0, 255, 255, 0))  # red in ink
    image = _open(make_preview(_save(cmyk, "JPEG", quality=90), "image/jpeg"))
    assert image.mode == "RGB" and image.size == (2048, 1536)
    assert _close(image.getpixel((500, 500)), (255, 0, 0), tolerance=20)

    grey = Image.linear_gradient("L").resize((3000, 2000))
    image = _open(make_preview(_save(grey, "JPEG"), "image/jpeg"))
    assert image.mode == "RGB" and max(image.size) <= PREVIEW_EDGE
    top, bottom = image.getpixel((1000, 5)), image.getpixel((1000, image.height - 5))
    assert _close(top, (top[0],) * 3, tolerance=2)  # still grey, now in RGB
    assert top[0] < 20 < 235 < bottom[0]

    webp = synthetic_image(2500, 1000, 3)
    assert _open(make_preview(_save(webp, "WEBP"), "image/webp")).size == (2048, 819)

    left, right = synthetic_image(2200, 1000, 1), synthetic_image(2200, 1000, 2)
    mpo = _save(left, "MPO", save_all=True, append_images=[right])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"
    assert _open(make_preview(mpo, "image/jpeg")).size == (2048, 931)


def test_an_animation_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (2200, 300), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    data = _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    image = _open(make_preview(data, "image/gif"))
    assert _close(image.getpixel((1000, 100)), (255, 0, 0))


def test_small_images_need_no_preview() -> None:
    assert make_preview(encode(synthetic_image(2048, 1536, 1), "JPEG"), "image/jpeg") is None
    assert make_preview(encode(synthetic_image(1536, 2048, 1), "PNG"), "image/png") is None
    assert make_preview(encode(synthetic_image(800, 600, 1), "PNG"), "image/png") is None


def test_broken_or_mislabelled_bytes_give_none(photo_12mp: bytes) -> None:
    png = encode(synthetic_image(2400, 1800, 2), "PNG")
    assert make_preview(png, "image/png") is not None  # the same bytes, declared right
    assert make_preview(photo_12mp[: len(photo_12mp) // 2], "image/jpeg") is None  # truncated
    assert make_preview(png, "image/jpeg") is None  # PNG bytes declared as a JPEG
    assert make_preview(photo_12mp, "image/png") is None
    assert make_preview(_save(Image.new("RGB", (2400, 1800)), "TIFF"), "image/tiff") is None
    assert make_preview(not_an_image(), "image/jpeg") is None
    assert make_preview(b"", "image/png") is None
    assert make_preview(bytes(range(256)) * 100, "image/webp") is None
    corrupt = bytearray(photo_12mp)
    corrupt[600:4000] = b"\x00" * 3400  # the tables and first scans overwritten
    assert make_preview(bytes(corrupt), "image/jpeg") is None
    # Pillow's process-wide switches keep their defaults
    assert (ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS) == (False, 89_478_485)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The sizes of the images whose pixels Pillow decoded during the test."""
    seen: list[tuple[int, int]] = []
    real: Callable[[ImageFile.ImageFile], Any] = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> Any:
        seen.append(self.size)
        return real(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return seen


def test_decompression_bombs_are_refused_from_the_header(loads: list[tuple[int, int]]) -> None:
    started = time.monotonic()
    assert make_preview(decompression_bomb_png(20_000, 20_000), "image/png") is None
    # 56 megapixels: under Pillow's own bomb limit, over ours
    assert make_preview(decompression_bomb_png(8_000, 7_000), "image/png") is None
    assert time.monotonic() - started < 1.0
    assert loads == []  # no pixels decoded
    assert make_preview(encode(synthetic_image(2400, 1800, 4), "PNG"), "image/png")
    assert (2400, 1800) in loads  # the spy does see a real decode
