"""Agreement beyond chance, from counts: Cohen's kappa for two raters, Fleiss' kappa for
several. Pure arithmetic on aggregated counts (the SQL does the counting).

Cohen: (po - pe) / (1 - pe), where po is the share of agreeing pairs and pe sums, over
actions, the product of how often each side chose it. Fleiss: the mean agreement among
the raters of each subject against the squared overall shares of each category. Both are
undefined (None, with the reason) when chance agreement is 1: one action only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

Kappa = tuple[float | None, str | None]
"""(kappa, None) or (None, why it is undefined)."""

NO_PAIRS = "nothing to compare"
ONE_ACTION = "undefined: only one action was used, so agreement by chance is certain"


def _clamp(value: float) -> float:
    return max(-1.0, min(1.0, value))


def cohen_from_confusion(confusion: Mapping[str, Mapping[str, int]]) -> Kappa:
    """Cohen's kappa from first rater's action -> second rater's action -> count."""
    n = sum(sum(row.values()) for row in confusion.values())
    if n == 0:
        return None, NO_PAIRS
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    agree = 0
    for mine, row in confusion.items():
        for theirs, count in row.items():
            first[mine] += count
            second[theirs] += count
            agree += count if mine == theirs else 0
    expected = sum(first[action] * second[action] for action in first) / (n * n)
    if expected >= 1.0:
        return None, ONE_ACTION
    return _clamp((agree / n - expected) / (1.0 - expected)), None


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of (first, second) pairs; None when undefined."""
    confusion: dict[str, Counter[str]] = {}
    for mine, theirs in pairs:
        confusion.setdefault(mine, Counter())[theirs] += 1
    return cohen_from_confusion(confusion)[0]


def fleiss_kappa(subjects: Iterable[Mapping[str, int]]) -> Kappa:
    """Fleiss' kappa from each subject's category -> number of raters who chose it.

    Subjects with fewer than two ratings say nothing about agreement and are left out;
    the raters per subject may differ (the mean of the per-subject agreement is used).
    """
    totals: Counter[str] = Counter()
    agreement_sum, subjects_counted, ratings = 0.0, 0, 0
    for counts in subjects:
        n_i = sum(counts.values())
        if n_i < 2:
            continue
        agreement_sum += (sum(c * c for c in counts.values()) - n_i) / (n_i * (n_i - 1))
        subjects_counted += 1
        ratings += n_i
        totals.update(counts)
    if subjects_counted == 0:
        return None, NO_PAIRS
    expected = sum((count / ratings) ** 2 for count in totals.values())
    if expected >= 1.0:
        return None, ONE_ACTION
    observed = agreement_sum / subjects_counted
    return _clamp((observed - expected) / (1.0 - expected)), None
