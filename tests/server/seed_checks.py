"""Checks on what demo seeding wrote, read back from the database and the media files:
pictures at their stated size and EXIF orientation, texts in their stated script, and
everything marked synthetic."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from PIL import Image, ImageOps

from server.db import Database
from server.demo_scenes import BANNER_COLOUR, EXIF_DESCRIPTION, EXIF_ORIENTATION
from server.media_store import LocalMediaStore as MediaStore
from server.models import Item

SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "Latin": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F)),
    "Cyrillic": ((0x400, 0x4FF),),
    "Arabic": ((0x600, 0x6FF),),
    "Hebrew": ((0x590, 0x5FF),),
    "Han": ((0x4E00, 0x9FFF),),
    "Japanese": ((0x3040, 0x30FF), (0x4E00, 0x9FFF)),  # kana, and the kanji among them
    "Hangul": ((0xAC00, 0xD7AF),),
}
RIGHT_TO_LEFT = {"Arabic", "Hebrew"}
EMOJI_RANGES = ((0x1F300, 0x1FAFF), (0x2600, 0x27BF))
_STATED = re.compile(r"; (\d+)x(\d+) (JPEG|PNG)(?:, EXIF orientation (\d))?$")
_STATED_TEXT = re.compile(r"^Synthetic text post in \w+ \((\w+) script(, right to left)?\), "
                          r"(\d+) characters$")


def seeded_items(db_url: str) -> list[Item]:
    db = Database(db_url)
    try:
        with db.session() as session:
            return list(session.query(Item))
    finally:
        db.dispose()


def stated_picture(item: Item) -> tuple[int, int, str, int]:
    """(width, height, format, orientation) as the item's description states them."""
    found = _STATED.search(item.context["description"])
    assert found, item.context["description"]
    width, height, fmt, orientation = found.groups()
    return int(width), int(height), fmt, int(orientation or 1)


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def assert_pictures_as_stated(items: list[Item], store: MediaStore) -> set[tuple]:
    """Every ordinary picture has the stated size once its EXIF orientation is applied
    (stored turned for 6 and 8), says in its EXIF that it is synthetic, and shows the
    yellow SYNTHETIC banner in its upright top-left corner. Returns the stated sizes."""
    made: set[tuple] = set()
    for item in items:
        if item.kind != "image" or "test_case" in item.context:
            continue
        width, height, fmt, orientation = stated_picture(item)
        with Image.open(store.path(item.media_sha256)) as stored:
            assert stored.format == fmt, item.id
            exif = stored.getexif()
            assert exif.get(EXIF_ORIENTATION, 1) == orientation, item.id
            assert "Synthetic" in exif.get(EXIF_DESCRIPTION, ""), item.id
            turned = orientation in (6, 8)
            assert stored.size == ((height, width) if turned else (width, height)), item.id
            upright = ImageOps.exif_transpose(stored).convert("RGB")
        assert upright.size == (width, height), item.id
        corner = [upright.getpixel((x, y)) for x in (1, 3) for y in (1, 3)]
        assert all(_near(pixel, BANNER_COLOUR) for pixel in corner), (item.id, corner)
        made.add((width, height, fmt, orientation))
    return made


def _in(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def assert_texts_in_stated_scripts(items: list[Item]) -> None:
    """Every text post starts with the SYNTHETIC marker and is written in the script its
    description states (Arabic and Hebrew right to left); together they cover Latin,
    Cyrillic, Arabic, Hebrew, Han, Japanese kana and Hangul, with emoji and a long post."""
    scripts: Counter[str] = Counter()
    emoji = 0
    texts = [item for item in items if item.kind == "text"]
    for item in texts:
        text = item.text or ""
        assert text.startswith("[SYNTHETIC · "), item.id
        found = _STATED_TEXT.match(item.context["description"])
        assert found, item.context["description"]
        script, rtl, chars = found.group(1), bool(found.group(2)), int(found.group(3))
        assert len(text) == chars >= 60, item.id
        body = re.sub(r"https://\S+", "", text.split("] ", 1)[1])  # links are Latin anywhere
        letters = [c for c in body if c.isalpha()]
        own = [c for c in letters if _in(SCRIPT_RANGES[script], c)]
        assert len(own) >= 0.8 * len(letters), (item.id, script)  # "DM" aside
        others = set(SCRIPT_RANGES) - {script, "Latin"}
        foreign = [c for c in letters if not _in(SCRIPT_RANGES[script], c)
                   and any(_in(SCRIPT_RANGES[other], c) for other in others)]
        assert not foreign, (item.id, script, foreign[:5])
        assert (rtl and script in RIGHT_TO_LEFT) or (not rtl and script not in RIGHT_TO_LEFT)
        if rtl:
            assert all(unicodedata.bidirectional(c) in ("R", "AL") for c in own), item.id
        if script == "Japanese":
            assert any(_in(((0x3040, 0x30FF),), c) for c in own), item.id
        scripts[script] += 1
        emoji += any(_in(EMOJI_RANGES, c) for c in text)
    assert set(scripts) == set(SCRIPT_RANGES), scripts
    assert emoji >= len(texts) // 4
    assert max(len(item.text or "") for item in texts) >= 1500
