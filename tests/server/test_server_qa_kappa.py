"""Kappa arithmetic against published worked examples (the oracles), and its edge cases."""

from __future__ import annotations

import pytest

from server.services.agreement import (
    NO_PAIRS,
    ONE_ACTION,
    cohen_from_confusion,
    cohen_kappa,
    fleiss_kappa,
)

# Cohen (1960) as worked in Wikipedia's "Cohen's kappa": 50 proposals read by A and B;
# both yes 20, A yes / B no 5, A no / B yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4.
COHEN_EXAMPLE = {"yes": {"yes": 20, "no": 5}, "no": {"yes": 10, "no": 15}}

# Fleiss (1971) as worked in Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters,
# 5 categories; P-bar 0.378, P-e 0.213, kappa 0.210.
FLEISS_EXAMPLE = [
    (0, 0, 0, 0, 14), (0, 2, 6, 4, 2), (0, 0, 3, 5, 6), (0, 3, 9, 2, 0), (2, 2, 8, 1, 1),
    (7, 7, 0, 0, 0), (3, 2, 6, 3, 0), (2, 5, 3, 2, 2), (6, 5, 2, 1, 0), (0, 2, 2, 3, 7),
]


def _subjects(table: list[tuple[int, ...]]) -> list[dict[str, int]]:
    return [{f"c{j}": n for j, n in enumerate(row) if n} for row in table]


def test_cohen_kappa_of_the_worked_example_is_0_4() -> None:
    assert cohen_from_confusion(COHEN_EXAMPLE) == (pytest.approx(0.4), None)
    pairs = [(a, b) for a, row in COHEN_EXAMPLE.items() for b, n in row.items() for _ in range(n)]
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_fleiss_kappa_of_the_worked_example_is_0_210() -> None:
    kappa, reason = fleiss_kappa(_subjects(FLEISS_EXAMPLE))
    assert reason is None
    assert kappa == pytest.approx(0.210, abs=0.0005)


def test_kappa_is_undefined_with_one_action_and_without_pairs() -> None:
    assert cohen_from_confusion({"approve": {"approve": 7}}) == (None, ONE_ACTION)
    assert cohen_from_confusion({}) == (None, NO_PAIRS)
    assert fleiss_kappa([{"approve": 3}, {"approve": 2}]) == (None, ONE_ACTION)
    assert fleiss_kappa([{"approve": 1}]) == (None, NO_PAIRS)  # one rating agrees with nobody
    assert cohen_from_confusion({"a": {"b": 1}, "b": {"a": 1}}) == (pytest.approx(-1.0), None)
