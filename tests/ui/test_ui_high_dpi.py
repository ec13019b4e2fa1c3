"""On a 2x display, images are prepared in device pixels and painted one to one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import json
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage, QPixmap
    from PySide6.QtWidgets import QApplication

    from ui.protected.item_view import ItemView

    app = QApplication([])
    view = ItemView()
    view.resize(224, 174)
    view.show()
    app.processEvents()
    ratio = view.devicePixelRatioF()
    width, height = view.target_size()
    # A one-pixel checkerboard: any stretching or smoothing on the way changes it.
    image = QImage(width, height, QImage.Format.Format_RGB32)
    for y in range(height):
        for x in range(width):
            image.setPixel(x, y, 0xFFFFFFFF if (x + y) % 2 else 0xFF000000)
    view.show_image(QPixmap.fromImage(image))
    shot = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    area = view.content_area()  # inside the margins, below the badge's band
    left, top = round(area.left() * ratio), round(area.top() * ratio)
    half = QRect(width // 2, height // 2, width // 2, height // 2)
    painted = shot.copy(half.translated(left, top))
    print(json.dumps({"ratio": ratio, "target": [width, height],
                      "logical": [view.width(), view.height()],
                      "one_to_one": painted == image.copy(half)}))
""")


def _run(scale: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scale", ["1", "2"])
def test_images_are_prepared_in_device_pixels_and_painted_sharp(scale: str):
    seen = _run(scale)
    if seen["ratio"] != float(scale):
        pytest.skip(f"this Qt platform ignores QT_SCALE_FACTOR (ratio {seen['ratio']})")
    margin, band = 12, 34  # ItemView.MARGIN all round, BADGE_BAND above the content
    width, height = seen["logical"]
    assert seen["target"] == [round((width - 2 * margin) * float(scale)),
                              round((height - 2 * margin - band) * float(scale))]
    assert seen["one_to_one"]
