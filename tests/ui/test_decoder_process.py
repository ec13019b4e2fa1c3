"""Image preparation in a child process: same result, crashes contained."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reviewer.protocol import WellnessPolicy
from ui.protected.decoder_process import CRASH_REASON, DecoderProcess
from wellness.protect import MediaError


def _jpeg(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def decoder():
    process = DecoderProcess()
    yield process
    process.shutdown()


def test_prepares_in_a_child_and_protects(decoder: DecoderProcess):
    prepared = decoder.prepare(_jpeg(), "image/jpeg", (400, 300), WellnessPolicy(), 1)

    assert prepared.protected.size == prepared.revealed.size
    assert max(prepared.protected.size) <= 400
    assert prepared.protected.tobytes() != prepared.revealed.tobytes()


def test_bad_media_error_crosses_the_process_boundary(decoder: DecoderProcess):
    with pytest.raises(MediaError) as caught:
        decoder.prepare(b"not an image", "image/jpeg", (400, 300), WellnessPolicy(), 0)
    assert caught.value.reason


def test_a_crashing_decoder_is_cannot_display_and_the_next_item_still_works():
    from crashing_decoder import crash_on_marker

    decoder = DecoderProcess(work=crash_on_marker)
    try:
        with pytest.raises(MediaError) as caught:
            decoder.prepare(b"crash", "image/jpeg", (10, 10), WellnessPolicy(), 0)
        assert caught.value.reason == CRASH_REASON

        prepared = decoder.prepare(_jpeg(), "image/jpeg", (200, 150), WellnessPolicy(), 0)
        assert max(prepared.revealed.size) <= 200
    finally:
        decoder.shutdown()
