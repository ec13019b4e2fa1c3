"""Agreement between reviewers on overlap items, counted in one SQL statement.

Three aggregations over the current decisions on overlap items (all reviewers of the
range): each reviewer's action against every other reviewer's on the same item; the
first reviewer's against each later one's (Cohen's kappa when items have two reviewers);
and each item's count per action (Fleiss' kappa when some item had more than two).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import CTE, and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

Confusion = dict[str, Counter[str]]


@dataclass
class OverlapCounts:
    by_reviewer: dict[str, Confusion] = field(default_factory=dict)
    """reviewer -> their action -> another reviewer's action on the same item -> count."""
    first_second: dict[str, Confusion] = field(default_factory=dict)
    """queue -> earlier reviewer's action -> later reviewer's action -> count."""
    subjects: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    """queue -> item -> action -> how many reviewers chose it."""


def overlap_counts(session: Session, overlap: CTE, reviewer: str | None) -> OverlapCounts:
    """`overlap`: the counted decisions on overlap items; `reviewer` limits the per-reviewer
    pairs to that reviewer (their peers are everyone)."""
    a, b = overlap.alias("overlap_a"), overlap.alias("overlap_b")
    other_reviewer = and_(b.c.item_id == a.c.item_id, b.c.reviewer != a.c.reviewer)
    pairs = (select(literal("pair"), a.c.reviewer, a.c.action, b.c.action, func.count())
             .select_from(a).join(b, other_reviewer)
             .where(*([a.c.reviewer == reviewer] if reviewer else []))
             .group_by(a.c.reviewer, a.c.action, b.c.action))
    earlier = or_(a.c.decided_at < b.c.decided_at,
                  and_(a.c.decided_at == b.c.decided_at, a.c.decision_id < b.c.decision_id))
    ordered = (select(literal("first"), a.c.queue, a.c.action, b.c.action, func.count())
               .select_from(a).join(b, and_(other_reviewer, earlier))
               .group_by(a.c.queue, a.c.action, b.c.action))
    o = overlap.c
    subjects = (select(literal("subject"), o.queue, o.item_id, o.action, func.count())
                .group_by(o.queue, o.item_id, o.action))
    counts = OverlapCounts()
    for kind, key, first, second, n in session.execute(union_all(pairs, ordered, subjects)):
        table = {"pair": counts.by_reviewer, "first": counts.first_second,
                 "subject": counts.subjects}[kind]
        table.setdefault(key, {}).setdefault(first, Counter())[second] += n
    return counts
