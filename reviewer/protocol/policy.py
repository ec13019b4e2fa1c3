"""The wellness policy: protection floors, exposure caps, the blur ladder."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from reviewer.protocol.base import Name, WireModel
from reviewer.protocol.items import Taxonomy

BlurLevel = Literal["none", "light", "medium", "heavy", "warning"]
BLUR_LEVELS: tuple[BlurLevel, ...] = ("none", "light", "medium", "heavy", "warning")
"""The protection ladder, weakest first. `warning` shows a plain card, nothing of the item,
until a deliberate reveal."""
DEFAULT_BLUR_BY_SEVERITY: tuple[BlurLevel, ...] = ("medium", "medium", "medium", "heavy")


class CategoryProtection(WireModel):
    """Protection one category adds on top of its severity's: never less."""

    blur: BlurLevel = "none"
    greyscale: bool = False
    pixelate: bool = False


class WellnessPolicy(WireModel):
    """Protection floors and exposure caps. The client enforces them offline."""

    blur_sigma_pct: Annotated[float, Field(ge=0.5, le=20.0)] = 3.0
    severity3_blur_factor: Annotated[float, Field(ge=1.0, le=4.0)] = 1.5
    greyscale: bool = True
    pixelate: bool = False
    mute_audio: bool = True
    autoplay: bool = False
    reveal_enabled: bool = True
    reveal_timeout_s: Annotated[float, Field(ge=1.0, le=120.0)] = 10.0
    max_reveals_per_item: Annotated[int, Field(ge=0, le=100)] = 5
    daily_reveal_seconds_cap: Annotated[int, Field(ge=0, le=86_400)] = 900
    daily_item_cap: Annotated[int, Field(ge=0, le=100_000)] = 2000
    break_every_minutes: Annotated[int, Field(ge=0, le=480)] = 60
    break_length_minutes: Annotated[int, Field(ge=0, le=120)] = 10
    break_activity: bool = False
    """Offer a short keyboard shape-matching game on the break screen. Not a protection:
    off by default, and any layer that turns it on turns it on (see `policy_layers`)."""
    blur_by_severity: Annotated[list[BlurLevel], Field(min_length=4, max_length=4)] = list(
        DEFAULT_BLUR_BY_SEVERITY)
    """The blur level of an item of severity 0..3 (index = severity). The defaults give
    today's protection: `medium` is `blur_sigma_pct`, `heavy` multiplies it by
    `severity3_blur_factor`."""
    categories: Annotated[dict[Name, CategoryProtection], Field(max_length=200)] = {}
    """Extra protection per item category; it only ever adds to the severity's."""


PolicySource = Annotated[str, Field(max_length=80)]
"""`built-in`, `default`, `team:<name>`, `user:<name>` or `preferences`."""
TimeZoneName = Annotated[str, Field(min_length=1, max_length=64)]


class PolicyReply(WireModel):
    taxonomies: Annotated[dict[Name, Taxonomy], Field(max_length=1000)]
    wellness: WellnessPolicy
    scope: Annotated[str, Field(max_length=80)] = "default"
    sources: Annotated[dict[str, PolicySource], Field(max_length=1000)] = {}
    """Where each value of `wellness` comes from (see `EffectivePolicy.sources`)."""
    time_zone: TimeZoneName = "UTC"
    """The time zone whose calendar days the caps and the report count in."""


class WellnessPolicyPut(WireModel):
    policy: WellnessPolicy


class WellnessPolicyStored(WireModel):
    scope: Annotated[str, Field(max_length=80)]
    policy: WellnessPolicy
    set_fields: Annotated[list[str], Field(max_length=100)] = []
    """The fields this scope sets; the others are not part of this layer."""
    updated_at: datetime | None = None
    updated_by: Name | None = None
