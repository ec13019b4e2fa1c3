"""Fixtures for the real-keyboard tests: one private Xvfb for the session (skipped, with
the reason, where it cannot run) and a key driver over XTEST on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from x_server import XServer, start_x_server, why_no_x_server


@pytest.fixture(scope="session")
def x_server() -> Iterator[XServer]:
    reason = why_no_x_server()
    if reason:
        pytest.skip(f"no real X server for keyboard tests: {reason}")
    server = start_x_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def keyboard(x_server: XServer) -> Iterator[object]:
    from key_driver import KeyDriver

    driver = KeyDriver(x_server.display)
    try:
        yield driver
    finally:
        driver.close()
