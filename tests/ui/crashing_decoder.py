"""A decoder that dies like one hit by hostile media, for the child-process tests."""

from __future__ import annotations

import ctypes

from wellness.protect import PreparedImage, prepare_image


def crash_on_marker(data: bytes, *args: object) -> PreparedImage:
    """A real SIGSEGV in the child for the bytes b"crash"; otherwise the real decoder."""
    if data == b"crash":
        ctypes.string_at(0)
    return prepare_image(data, *args)  # type: ignore[arg-type]
