"""Protection per category and severity: the ladder, its defaults, the warning card."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops
from wellness_images import edge_energy, is_grey, scene

from reviewer.protocol import WellnessPolicy
from wellness.protect import CARD_COLOUR, blur_sigma, protect, warning_card
from wellness.protection import protection_for


@pytest.mark.parametrize(("severity", "level", "sigma_pct"), [
    (0, "medium", 3.0), (1, "medium", 3.0), (2, "medium", 3.0), (3, "heavy", 4.5)])
def test_default_ladder_is_todays_protection(severity: int, level: str, sigma_pct: float):
    chosen = protection_for(WellnessPolicy(), "spam", severity)
    assert (chosen.level, chosen.greyscale, chosen.pixelate) == (level, True, False)
    assert chosen.sigma_pct == pytest.approx(sigma_pct)


def test_category_rule_only_adds_protection() -> None:
    policy = WellnessPolicy.model_validate({
        "greyscale": False,
        "categories": {"gore": {"blur": "warning", "greyscale": True},
                       "spam": {"blur": "light", "pixelate": True}}})
    gore = protection_for(policy, "gore", 0)
    assert (gore.level, gore.greyscale, gore.shows_nothing) == ("warning", True, True)
    spam = protection_for(policy, "spam", 3)  # light is below heavy: heavy stays
    assert (spam.level, spam.pixelate, spam.greyscale) == ("heavy", True, False)
    other = protection_for(policy, "other", 1)
    assert (other.level, other.pixelate) == ("medium", False)


def test_ladder_strengths_grow() -> None:
    img = scene((320, 240))
    sigmas, energies = [], []
    for level in ("none", "light", "medium", "heavy"):
        policy = WellnessPolicy.model_validate({"blur_by_severity": [level] * 4,
                                                "greyscale": False})
        sigmas.append(blur_sigma(img.size, policy, 1))
        energies.append(edge_energy(protect(img, policy, 1)))
    assert sigmas == [0.0, pytest.approx(3.6), pytest.approx(7.2), pytest.approx(10.8)]
    assert energies[0] > 0.9 * edge_energy(img)  # none: no blur (the item hatched only)
    assert max(energies[1:]) < 0.5 * energies[0]


def test_warning_level_is_a_plain_card_with_nothing_of_the_item() -> None:
    policy = WellnessPolicy.model_validate({"blur_by_severity": ["medium"] * 3 + ["warning"]})
    a, b = scene((320, 240)), scene((320, 240)).rotate(180)
    card_a, card_b = protect(a, policy, 3), protect(b, policy, 3)
    assert ImageChops.difference(card_a, card_b).getbbox() is None  # depends on size alone
    assert card_a == warning_card((320, 240))
    assert card_a.getpixel((160, 120)) == CARD_COLOUR
    blurred = protect(a, policy, 2)
    assert is_grey(blurred) and ImageChops.difference(blurred, card_a).getbbox() is not None


def test_a_card_the_same_colour_as_the_item_still_differs() -> None:
    flat = Image.new("RGB", (64, 64), CARD_COLOUR)
    policy = WellnessPolicy.model_validate({"blur_by_severity": ["warning"] * 4})
    assert ImageChops.difference(protect(flat, policy, 0), flat).getbbox() is not None
