"""What the demo seeding creates: users, queues with taxonomies, and item plans (which
items are images and at what sizes, how long the texts are).

Plain data, so tests and the report can read it. All content is synthetic: pictures from
`server.demo_scenes`, texts from `server.demo_texts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

USERS: dict[str, tuple[list[str], list[str]]] = {
    # username: (roles, teams)
    "demo": (["reviewer"], ["vendor-a"]),
    "demo2": (["reviewer"], ["vendor-b"]),
    "senior": (["senior"], ["vendor-a"]),  # reviews the escalation tier
    "qa": (["qa_lead"], []),
    "wellness": (["wellness"], []),
    "admin": (["admin"], []),
}


def _entries(pairs: list[tuple[str, str]], first_key: int) -> list[dict[str, str | None]]:
    return [{"id": ident, "title": title, "key": str(first_key + i) if first_key + i <= 9 else None}
            for i, (ident, title) in enumerate(pairs)]


def taxonomy(actions: list[tuple[str, str]], labels: list[tuple[str, str]]) -> dict[str, list]:
    """Actions take keys 1.., labels the keys after them, so no key is bound twice."""
    return {"actions": _entries(actions, 1), "labels": _entries(labels, len(actions) + 1)}


ImageSize = tuple[int, int, str, int]
"""(width, height, format, EXIF orientation): the size a viewer displays once it applies
the orientation; 6 and 8 store the picture turned a quarter, as phone cameras do."""


@dataclass(frozen=True)
class QueuePlan:
    name: str
    title: str
    sensitivity: int
    prefix: str
    taxonomy: dict[str, list]
    categories: tuple[str, ...]
    image_share: float
    """Fraction of the queue's items that are images (the rest are text)."""
    count: int = 22
    big_images: tuple[ImageSize, ...] = field(default=())
    """Added by the "full" scale only: camera photos up to 12 megapixels."""


QUEUES = (
    QueuePlan(
        name="hate-speech", title="Hate speech", sensitivity=2, prefix="hs",
        taxonomy=taxonomy(
            [("approve", "Approve"), ("remove", "Remove"), ("age_restrict", "Age-restrict"),
             ("warn", "Warn the author")],
            [("slur", "Slur"), ("harassment", "Harassment"), ("hate_symbol", "Hate symbol"),
             ("counter_speech", "Counter-speech")],
        ),
        categories=("slur", "harassment", "hate_symbol"), image_share=0.3,
        big_images=((3024, 4032, "JPEG", 6), (2048, 1536, "PNG", 1)),
    ),
    QueuePlan(
        name="violent-imagery", title="Violent imagery", sensitivity=3, prefix="vi",
        taxonomy=taxonomy(
            [("approve", "Approve"), ("remove", "Remove"), ("age_restrict", "Age-restrict"),
             ("warning_screen", "Add a warning screen")],
            [("gore", "Gore"), ("weapon", "Weapon"), ("newsworthy", "Newsworthy")],
        ),
        categories=("graphic_violence", "weapons", "injury"), image_share=0.85,
        big_images=((2828, 2828, "JPEG", 1), (3464, 2309, "PNG", 1), (4000, 3000, "JPEG", 1),
                    (4000, 3000, "PNG", 1), (3024, 4032, "JPEG", 8)),
    ),
    QueuePlan(
        name="spam", title="Spam and scams", sensitivity=1, prefix="sp",
        taxonomy=taxonomy(
            [("approve", "Approve"), ("remove", "Remove"), ("limit_reach", "Limit reach")],
            [("scam", "Scam"), ("phishing", "Phishing"), ("bot", "Bot network")],
        ),
        categories=("scam", "phishing", "bulk"), image_share=0.4,
        big_images=((4032, 3024, "JPEG", 3),),
    ),
)

BROKEN_QUEUE = "violent-imagery"
BROKEN_KINDS = ("truncated", "bomb", "mime", "hash")
BROKEN_POSITIONS = (2, 5, 8, 11)
"""Where, in the broken queue's order, the broken items sit: a first lease meets them."""

SMALL_SIZES: tuple[ImageSize, ...] = (
    # The "small" scale (many tests seed it): low-resolution uploads, quick to make.
    (640, 480, "JPEG", 1), (480, 640, "PNG", 1), (360, 640, "JPEG", 6), (800, 600, "PNG", 1),
    (400, 400, "JPEG", 1), (720, 540, "JPEG", 3),
)
PHONE_SIZES: tuple[ImageSize, ...] = (
    # The "full" scale's ordinary images: what phones post and capture.
    (1080, 1350, "JPEG", 1),  # portrait post
    (1170, 2532, "PNG", 1),   # phone screenshot
    (1080, 1080, "JPEG", 1),  # square post
    (1200, 1600, "JPEG", 6),  # portrait photo, stored sideways with its EXIF orientation
    (1920, 1080, "JPEG", 1),  # video still
    (750, 1334, "PNG", 1),    # older phone's screenshot
    (1080, 1920, "JPEG", 1),  # story
    (2048, 1536, "JPEG", 1),  # resized camera photo
)

TEXT_LONG_CHARS = 1800
"""The first text item of a queue (n == 1) is a long post: masking and scrolling."""


def text_length(n: int) -> int:
    """Characters a text post has at least: most are short, as posts are (60-560)."""
    return TEXT_LONG_CHARS if n == 1 else 60 + (n * 137) % 500


# --- what the context panel shows ------------------------------------------------------

_REASONS = {
    "slur": "slurs", "harassment": "harassment", "hate_symbol": "hateful symbols",
    "graphic_violence": "graphic violence", "weapons": "weapons", "injury": "graphic injury",
    "scam": "a scam", "phishing": "phishing", "bulk": "bulk spam",
}

BROKEN_DESCRIPTIONS = {
    "truncated": "Synthetic image file cut off halfway (test case: truncated JPEG)",
    "bomb": "Synthetic tiny PNG file declaring 100000x100000 pixels (test case: "
            "decompression bomb)",
    "mime": "Synthetic plain text file declared as a JPEG image (test case: wrong MIME "
            "type)",
    "hash": "Synthetic image whose stored bytes do not match its hash (test case: "
            "hash mismatch)",
}


def report_reason(category: str, n: int) -> str:
    """Why the item is in the queue, e.g. "Reported by 3 users: graphic violence"."""
    reason = _REASONS.get(category, category.replace("_", " "))
    if n % 4 == 3:
        return f"Flagged by automated classifier (score 0.{60 + (n * 7) % 39}): {reason}"
    reporters = 1 + (n * 5) % 11
    return f"Reported by {reporters} user{'s' if reporters > 1 else ''}: {reason}"


def text_description(language: str, script: str, rtl: bool, chars: int) -> str:
    direction = ", right to left" if rtl else ""
    return f"Synthetic text post in {language} ({script} script{direction}), {chars} characters"


def sla_offset_minutes(n: int) -> int:
    """Minutes from an item's creation to its SLA: between 1 and 7 hours, varying."""
    return 60 * (1 + (n * 7) % 6) + (n * 17) % 60
