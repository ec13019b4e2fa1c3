"""Hostile and broken media give a MediaError with a reason a reviewer understands.

Never a crash, never a change to Pillow's global switches.
"""

from __future__ import annotations

import random
import threading
import warnings

import pytest
from PIL import Image, ImageFile
from wellness_images import encode, patch_png_size, scene

from reviewer.protocol import WellnessPolicy
from wellness.decode import MAX_PIXELS
from wellness.protect import MediaError, naive_protect, prepare_image

VIEW = (1280, 800)


def reason_for(data: bytes, mime: str, policy: WellnessPolicy) -> str:
    with pytest.raises(MediaError) as caught:
        prepare_image(data, mime, VIEW, policy, severity=2)
    reason = caught.value.reason
    assert reason and reason.endswith(".") and reason[0].isupper()
    return reason


def test_truncated_jpeg(policy: WellnessPolicy):
    data = encode(scene((1600, 1200)), "JPEG", quality=90)

    assert "truncated" in reason_for(data[: len(data) // 2], "image/jpeg", policy)


def test_truncated_png(policy: WellnessPolicy):
    data = encode(scene((600, 400)), "PNG")

    reason = reason_for(data[: len(data) * 2 // 3], "image/png", policy)

    assert "truncated" in reason or "damaged" in reason


@pytest.mark.parametrize("side", [100_000, 10_000, 8_000])
def test_decompression_bomb_png_is_refused_before_decoding(side: int, policy: WellnessPolicy):
    # 100000^2 trips Pillow's error, 10000^2 its warning, 8000^2 only our own cap
    bomb = patch_png_size(encode(Image.new("RGB", (16, 16), "red"), "PNG"), side, side)

    assert "too large to open safely" in reason_for(bomb, "image/png", policy)


def test_pixel_cap_sits_below_pillows_own_limit():
    assert (Image.MAX_IMAGE_PIXELS or 0) > MAX_PIXELS


def test_text_declared_as_jpeg(policy: WellnessPolicy):
    reason = reason_for(b"hello, this is not a picture at all\n" * 10, "image/jpeg", policy)

    assert "not a JPEG image as declared" in reason


def test_png_declared_as_jpeg(policy: WellnessPolicy):
    reason = reason_for(encode(scene((64, 64)), "PNG"), "image/jpeg", policy)

    assert reason == "The file is a PNG image, not a JPEG image as declared."


def test_empty_file(policy: WellnessPolicy):
    assert reason_for(b"", "image/png", policy) == "The file is empty."


def test_unsupported_mime(policy: WellnessPolicy):
    data = encode(scene((64, 64)), "TIFF")

    assert "cannot be displayed" in reason_for(data, "image/tiff", policy)


def test_corrupt_png_data(policy: WellnessPolicy):
    data = bytearray(encode(scene((300, 200)), "PNG"))
    data[100:140] = bytes(40)

    assert "damaged" in reason_for(bytes(data), "image/png", policy)


def test_random_corruption_never_escapes_as_another_error(policy: WellnessPolicy):
    rng = random.Random(1234)
    originals = [
        (encode(scene((120, 90)), "JPEG"), "image/jpeg"),
        (encode(scene((120, 90)), "PNG"), "image/png"),
        (encode(scene((120, 90)).convert("P"), "GIF"), "image/gif"),
    ]
    for data, mime in originals:
        for _ in range(40):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            try:
                prepare_image(bytes(mutated), mime, (100, 100), policy, severity=1)
            except MediaError as exc:
                assert exc.reason


def test_naive_protect_also_refuses_non_images(policy: WellnessPolicy):
    with pytest.raises(MediaError):
        naive_protect(b"not an image", policy, 0)


def test_pillow_globals_and_warning_filters_are_untouched(policy: WellnessPolicy):
    filters_before = list(warnings.filters)
    bomb = patch_png_size(encode(Image.new("RGB", (8, 8)), "PNG"), 10_000, 10_000)

    reason_for(bomb, "image/png", policy)
    reason_for(b"\xff\xd8\xff" + bytes(100), "image/jpeg", policy)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert warnings.filters == filters_before


def test_concurrent_preparation_of_good_and_hostile_media(policy: WellnessPolicy):
    good = encode(scene((800, 600)), "JPEG")
    bomb = patch_png_size(encode(Image.new("RGB", (8, 8)), "PNG"), 10_000, 10_000)
    failures: list[BaseException] = []

    def work(data: bytes, mime: str, ok: bool) -> None:
        for _ in range(5):
            try:
                prepare_image(data, mime, (400, 300), policy, severity=1)
                assert ok
            except MediaError:
                assert not ok
            except BaseException as exc:  # collected for the assertion
                failures.append(exc)

    threads = [
        threading.Thread(target=work, args=args)
        for args in [(good, "image/jpeg", True), (bomb, "image/png", False)] * 3
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
