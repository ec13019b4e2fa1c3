"""Fixtures for the wellness tests."""

from __future__ import annotations

import pytest
from wellness_images import encode, scene

from reviewer.protocol import WellnessPolicy


@pytest.fixture(scope="session")
def jpeg_12mp() -> bytes:
    return encode(scene((4000, 3000)), "JPEG", quality=90)


@pytest.fixture
def policy() -> WellnessPolicy:
    return WellnessPolicy()
