"""What the demo seeding creates: users, queues with taxonomies, and item plans.

Plain data, so tests and the report can read it. All content is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

USERS: dict[str, tuple[list[str], list[str]]] = {
    # username: (roles, teams)
    "demo": (["reviewer"], ["vendor-a"]),
    "demo2": (["reviewer"], ["vendor-b"]),
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
    big_images: tuple[tuple[int, int, str], ...] = field(default=())


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
        big_images=((1024, 1024, "PNG"), (2048, 1536, "JPEG")),
    ),
    QueuePlan(
        name="violent-imagery", title="Violent imagery", sensitivity=3, prefix="vi",
        taxonomy=taxonomy(
            [("approve", "Approve"), ("remove", "Remove"), ("age_restrict", "Age-restrict"),
             ("warning_screen", "Add a warning screen")],
            [("gore", "Gore"), ("weapon", "Weapon"), ("newsworthy", "Newsworthy")],
        ),
        categories=("graphic_violence", "weapons", "injury"), image_share=0.85,
        big_images=((2828, 2828, "JPEG"), (3464, 2309, "PNG"), (4000, 3000, "JPEG"),
                    (4000, 3000, "PNG")),
    ),
    QueuePlan(
        name="spam", title="Spam and scams", sensitivity=1, prefix="sp",
        taxonomy=taxonomy(
            [("approve", "Approve"), ("remove", "Remove"), ("limit_reach", "Limit reach")],
            [("scam", "Scam"), ("phishing", "Phishing"), ("bot", "Bot network")],
        ),
        categories=("scam", "phishing", "bulk"), image_share=0.4,
        big_images=((1600, 1200, "JPEG"),),
    ),
)

BROKEN_QUEUE = "violent-imagery"
BROKEN_KINDS = ("truncated", "bomb", "mime", "hash")
BROKEN_POSITIONS = (2, 5, 8, 11)
"""Where, in the broken queue's order, the broken items sit: a first lease meets them."""

SMALL_SIZES = ((64, 48), (160, 120), (320, 240), (480, 640), (800, 600), (1200, 800))

_WORDS = ("lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed",
          "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna")


def synthetic_text(seed: int, queue: str, words: int) -> str:
    """Placeholder prose: obviously synthetic, never real user content."""
    body = " ".join(_WORDS[(seed * 7 + i * 3) % len(_WORDS)] for i in range(words))
    return f"[synthetic sample {seed} for {queue}] {body.capitalize()}."


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


def text_description(words: int) -> str:
    return f"Synthetic text post: {words} words of placeholder Latin"


def sla_offset_minutes(n: int) -> int:
    """Minutes from an item's creation to its SLA: between 1 and 7 hours, varying."""
    return 60 * (1 + (n * 7) % 6) + (n * 17) % 60
