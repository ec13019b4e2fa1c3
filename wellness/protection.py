"""The protection of one item, from the policy, the item's category and its severity.

The ladder (`BLUR_LEVELS`) is none < light < medium < heavy < warning. Its strengths come
from the policy's existing fields, so the default ladder reproduces the protection the
client always had: `medium` is `blur_sigma_pct` of the displayed short edge, `heavy` is
that times `severity3_blur_factor`, `light` half of `medium`, `none` no blur, and
`warning` a plain card that shows nothing of the item until a deliberate reveal.

A category rule only adds protection (a higher level, greyscale, pixelate). Pure, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.protocol import BLUR_LEVELS, BlurLevel, WellnessPolicy

LIGHT_SHARE = 0.5
"""`light` blurs with this share of `medium`'s strength."""


@dataclass(frozen=True)
class Protection:
    """How to protect one item: a ladder level, its blur (percent of the short edge)."""

    level: BlurLevel
    sigma_pct: float
    greyscale: bool
    pixelate: bool

    @property
    def shows_nothing(self) -> bool:
        """The warning level: a plain card, no pixel of the item."""
        return self.level == "warning"


def level_sigma_pct(policy: WellnessPolicy, level: BlurLevel) -> float:
    """Blur strength of a ladder level, in percent of the displayed short edge."""
    if level in ("none", "warning"):
        return 0.0
    if level == "light":
        return policy.blur_sigma_pct * LIGHT_SHARE
    if level == "medium":
        return policy.blur_sigma_pct
    return policy.blur_sigma_pct * policy.severity3_blur_factor


def protection_for(policy: WellnessPolicy, category: str | None, severity: int) -> Protection:
    """The protection of an item of `category` and `severity` (0..3) under `policy`."""
    level = policy.blur_by_severity[max(0, min(severity, len(policy.blur_by_severity) - 1))]
    greyscale, pixelate = policy.greyscale, policy.pixelate
    rule = policy.categories.get(category or "")
    if rule is not None:
        if BLUR_LEVELS.index(rule.blur) > BLUR_LEVELS.index(level):
            level = rule.blur
        greyscale = greyscale or rule.greyscale
        pixelate = pixelate or rule.pixelate
    return Protection(level=level, sigma_pct=level_sigma_pct(policy, level),
                      greyscale=greyscale, pixelate=pixelate)
