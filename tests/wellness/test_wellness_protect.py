"""prepare_image on well-formed images: right size, upright, greyscale, blurred, never original."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops
from wellness_images import edge_energy, encode, is_grey, scene

from reviewer.protocol import WellnessPolicy
from wellness.protect import (
    MASK_CHAR,
    PreparedImage,
    blur_sigma,
    mask_text,
    naive_protect,
    prepare_image,
    protect,
)

VIEW = (1280, 800)


def fits(size: tuple[int, int], box: tuple[int, int]) -> bool:
    return size[0] <= box[0] and size[1] <= box[1]


def assert_protected(prepared: PreparedImage, *, grey: bool = True) -> None:
    assert prepared.protected.mode == prepared.revealed.mode == "RGB"
    assert prepared.protected.size == prepared.revealed.size
    assert ImageChops.difference(prepared.protected, prepared.revealed).getbbox() is not None
    assert edge_energy(prepared.protected) < 0.5 * edge_energy(prepared.revealed)
    if grey:
        assert is_grey(prepared.protected)


def test_12mp_jpeg_is_decoded_small_and_protected(jpeg_12mp: bytes, policy: WellnessPolicy):
    prepared = prepare_image(jpeg_12mp, "image/jpeg", VIEW, policy, severity=1)

    assert prepared.source_size == (4000, 3000)
    width, height = prepared.revealed.size
    assert fits((width, height), VIEW)
    # the exact fit is 1067x800; a DCT scale may land up to 10% below it
    assert height >= 0.9 * 800 and abs(width / height - 4 / 3) < 0.01
    assert not is_grey(prepared.revealed)
    assert_protected(prepared)


def test_multi_picture_jpeg_from_a_phone_counts_as_jpeg(policy: WellnessPolicy):
    first, second = scene((1200, 900)), scene((1200, 900)).rotate(180)
    data = encode(first, "MPO", save_all=True, append_images=[second])

    prepared = prepare_image(data, "image/jpeg", (400, 300), policy, severity=1)

    assert prepared.source_size == (1200, 900)
    assert_protected(prepared)


def test_png_is_downscaled_to_the_exact_fit(policy: WellnessPolicy):
    data = encode(scene((2000, 1000)), "PNG")

    prepared = prepare_image(data, "image/png", VIEW, policy, severity=0)

    assert prepared.revealed.size == (1280, 640)
    assert prepared.source_size == (2000, 1000)
    assert_protected(prepared)


def test_small_image_is_enlarged_to_a_readable_size(policy: WellnessPolicy):
    data = encode(scene((320, 200)), "PNG")

    prepared = prepare_image(data, "image/png", VIEW, policy, severity=0)

    assert prepared.revealed.size == (1280, 800)  # fills the view, 4x at most
    assert prepared.source_size == (320, 200)
    assert_protected(prepared)


def test_a_tiny_image_grows_at_most_four_times(policy: WellnessPolicy):
    data = encode(scene((64, 48)), "PNG")

    prepared = prepare_image(data, "image/png", VIEW, policy, severity=0)

    assert prepared.revealed.size == (256, 192)
    assert_protected(prepared)


def test_exif_rotated_jpeg_comes_out_upright(policy: WellnessPolicy):
    stored = scene((800, 400))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    data = encode(stored, "JPEG", exif=exif.tobytes())

    prepared = prepare_image(data, "image/jpeg", (300, 300), policy, severity=0)

    assert prepared.source_size == (400, 800)
    width, height = prepared.revealed.size
    assert height > width and fits((width, height), (300, 300))


@pytest.mark.parametrize(
    ("mode", "fmt", "mime"),
    [
        ("P", "PNG", "image/png"),
        ("RGBA", "PNG", "image/png"),
        ("LA", "PNG", "image/png"),
        ("L", "JPEG", "image/jpeg"),
        ("CMYK", "JPEG", "image/jpeg"),
        ("1", "PNG", "image/png"),
        ("P", "GIF", "image/gif"),
        ("RGB", "WEBP", "image/webp"),
    ],
)
def test_colour_modes_become_protected_rgb(mode: str, fmt: str, mime: str, policy: WellnessPolicy):
    img = scene((600, 400)).convert(mode)
    params = {"transparency": 0} if (mode == "P" and fmt == "PNG") else {}

    prepared = prepare_image(encode(img, fmt, **params), mime, (300, 300), policy, severity=1)

    assert prepared.revealed.size == (300, 200)
    assert_protected(prepared)


def test_16_bit_png_is_scaled_not_clipped_to_white(policy: WellnessPolicy):
    deep = Image.linear_gradient("L").resize((512, 256)).convert("I").point(lambda v: v * 257)
    data = encode(deep.convert("I;16"), "PNG")

    prepared = prepare_image(data, "image/png", (256, 256), policy, severity=0)

    low, high = prepared.revealed.convert("L").getextrema()
    assert low < 20 and high > 230


def test_colour_is_kept_when_policy_turns_greyscale_off():
    policy = WellnessPolicy(greyscale=False)
    data = encode(scene((800, 500)), "PNG")

    prepared = prepare_image(data, "image/png", VIEW, policy, severity=1)

    assert not is_grey(prepared.protected)
    assert_protected(prepared, grey=False)


def test_severity_3_blurs_harder(policy: WellnessPolicy):
    img = scene((800, 500))

    mild, strong = protect(img, policy, 1), protect(img, policy, 3)

    assert blur_sigma(img.size, policy, 3) == pytest.approx(blur_sigma(img.size, policy, 1) * 1.5)
    assert edge_energy(strong) < edge_energy(mild)


def test_blur_sigma_follows_the_displayed_short_edge(policy: WellnessPolicy):
    assert blur_sigma((1280, 800), policy, 0) == pytest.approx(24.0)
    assert blur_sigma((40, 30), policy, 0) == 2.0  # floor for thumbnails


def test_pixelate_makes_flat_blocks():
    policy = WellnessPolicy(pixelate=True, blur_sigma_pct=2.0)
    img = scene((400, 400))

    out = protect(img, policy, 0)

    block = round(blur_sigma(img.size, policy, 0))
    first = out.crop((0, 0, block, block))
    assert first.getextrema()[0][0] == first.getextrema()[0][1]
    assert ImageChops.difference(out, img).getbbox() is not None


def test_protected_never_equals_revealed_even_for_a_flat_image(policy: WellnessPolicy):
    for colour in [(128, 128, 128), (0, 0, 0), (255, 255, 255)]:
        data = encode(Image.new("RGB", (64, 48), colour), "PNG")

        prepared = prepare_image(data, "image/png", VIEW, policy, severity=0)

        assert prepared.protected.tobytes() != prepared.revealed.tobytes()


def test_protect_returns_a_new_image(policy: WellnessPolicy):
    img = scene((100, 100))
    before = img.tobytes()

    out = protect(img, policy, 0)

    assert out is not img and img.tobytes() == before


def test_naive_protect_works_at_full_resolution(policy: WellnessPolicy):
    data = encode(scene((900, 600)), "JPEG")

    out = naive_protect(data, policy, 1)

    assert out.size == (900, 600) and out.mode == "RGB" and is_grey(out)


def test_prepared_images_are_independent_of_the_input_buffer(policy: WellnessPolicy):
    buffer = bytearray(encode(scene((300, 200)), "PNG"))

    prepared = prepare_image(bytes(buffer), "image/png", VIEW, policy, severity=0)
    buffer[:] = b"\0" * len(buffer)

    assert prepared.revealed.getextrema() != ((0, 0), (0, 0), (0, 0))
    prepared.revealed.save(io.BytesIO(), "PNG")


def test_mask_text_hides_letters_and_keeps_layout():
    masked = mask_text("Buy now! 50% off\nclick: x.io")

    assert masked == "███ ███! ██% ███\n█████: █.██"
    assert set(mask_text("Ünïcødé ДА")) <= {MASK_CHAR, " "}
