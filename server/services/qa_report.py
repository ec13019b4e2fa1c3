"""The QA report: per reviewer, per queue and overall, over a date range, counted in SQL.

Each query groups (by reviewer and queue, or by the group itself for percentiles) so the
database returns a few aggregated rows, never every decision; kappas are then derived in
Python from those counts (`agreement`). The decisions that count are the current ones
(not superseded) and not skips; a verdict on a decision that was later superseded judges
the latest decision of its chain. Undefined figures are None with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, ColumnElement, Row, case, exists, func, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from reviewer.protocol import QAReport, QAReportRow
from server.models import DecisionRecord, GoldItem, Item, VerdictRecord
from server.services.agreement import cohen_from_confusion, fleiss_kappa
from server.services.qa_decisions import DecisionFilter, filter_clauses
from server.services.qa_overlap import overlap_counts
from server.services.shared_items import OVERLAP
from server.services.taxonomy import ESCALATE, SKIP

NO_VERDICTS = "no QA verdicts on these decisions"
NO_GOLD = "no gold items among these decisions"
NO_OVERLAP = "no overlap item was decided by two or more reviewers"
Key = tuple[str, str | None]
"""("reviewer", name), ("queue", name) or ("all", None)."""


@dataclass
class _Tally:
    decisions: int = 0
    escalations: int = 0
    revealed: int = 0
    confusion: dict[str, Counter[str]] = field(default_factory=dict)
    gold: int = 0
    gold_right: int = 0
    peers: dict[str, Counter[str]] = field(default_factory=dict)
    """My action -> another reviewer's action on the same overlap item (per reviewer), or
    earlier -> later reviewer (per queue and overall)."""
    subjects: dict[str, Counter[str]] = field(default_factory=dict)
    """Overlap item -> action -> reviewers who chose it."""
    p50: int | None = None
    p90: int | None = None


class _Tallies(dict[Key, _Tally]):
    def add(self, reviewer: str, queue: str) -> Iterable[_Tally]:
        """The tallies a (reviewer, queue) count goes to."""
        for key in (("reviewer", reviewer), ("queue", queue), ("all", None)):
            yield self.setdefault(key, _Tally())


def _counted(f: DecisionFilter) -> list[ColumnElement[bool]]:
    """The decisions that count, as conditions on `DecisionRecord`."""
    return [*filter_clauses(DecisionFilter(reviewer=f.reviewer, queue=f.queue, since=f.since,
                                           until=f.until, superseded=False)),
            DecisionRecord.action != SKIP]


def _scope(f: DecisionFilter, name: str, *, overlap_only: bool = False) -> CTE:
    d = DecisionRecord
    clauses = _counted(f)
    if overlap_only:  # through the index on items.share: overlap items are few
        clauses.append(d.item_id.in_(select(Item.id).where(Item.share == OVERLAP)))
    return (select(d.decision_id, d.reviewer, d.queue, d.item_id, d.action, d.handle_ms,
                   d.reveals, d.decided_at)
            .where(*clauses).cte(name))


def _basics(session: Session, scope: CTE, tallies: _Tallies) -> None:
    """Decisions, escalations, decisions with a reveal, and gold decisions (right or not)."""
    s = scope.c
    rows = session.execute(select(
        s.reviewer, s.queue, func.count(),
        func.sum(case((s.action == ESCALATE, 1), else_=0)),
        func.sum(case((s.reveals > 0, 1), else_=0)),
        func.count(GoldItem.item_id),
        func.sum(case((s.action == GoldItem.action, 1), else_=0)),
    ).select_from(scope).outerjoin(GoldItem, GoldItem.item_id == s.item_id)
        .group_by(s.reviewer, s.queue))
    for reviewer, queue, count, escalations, revealed, gold, right in rows:
        for tally in tallies.add(reviewer, queue):
            tally.decisions += count
            tally.escalations += escalations or 0
            tally.revealed += revealed or 0
            tally.gold += gold
            tally.gold_right += right or 0


def _verdicts(session: Session, wanted: DecisionFilter, tallies: _Tallies) -> None:
    """Each verdict follows its decision's `supersedes` chain to the latest decision, which
    is then looked up by its key (verdicts are far fewer than decisions)."""
    chain = select(VerdictRecord.action.label("qa_action"),
                   VerdictRecord.decision_id.label("decision_id")).cte("chain", recursive=True)
    newer = aliased(DecisionRecord)
    chain = chain.union_all(select(chain.c.qa_action, newer.decision_id)
                            .join(newer, newer.supersedes == chain.c.decision_id)
                            .where(newer.supersedes.is_not(None)))
    d, later = DecisionRecord, aliased(DecisionRecord)
    wanted = DecisionFilter(reviewer=wanted.reviewer, queue=wanted.queue, since=wanted.since,
                            until=wanted.until)
    rows = session.execute(
        select(d.reviewer, d.queue, d.action, chain.c.qa_action, func.count())
        .select_from(chain).join(d, d.decision_id == chain.c.decision_id)
        .where(*filter_clauses(wanted), d.action != SKIP,
               ~exists(select(later.decision_id).where(later.supersedes.is_not(None),
                                                       later.supersedes == chain.c.decision_id)))
        .group_by(d.reviewer, d.queue, d.action, chain.c.qa_action))
    for reviewer, queue, mine, qa, count in rows:
        for tally in tallies.add(reviewer, queue):
            tally.confusion.setdefault(mine, Counter())[qa] += count


def _overlap(session: Session, wanted: DecisionFilter, tallies: _Tallies) -> None:
    """Per reviewer: against every other reviewer on the same overlap item. Per queue and
    overall: all reviewers of the range, whoever the report is for."""
    everyone = DecisionFilter(queue=wanted.queue, since=wanted.since, until=wanted.until)
    counts = overlap_counts(session, _scope(everyone, "overlap", overlap_only=True),
                            wanted.reviewer)
    for reviewer, confusion in counts.by_reviewer.items():
        tallies.setdefault(("reviewer", reviewer), _Tally()).peers = confusion
    for queue, confusion in counts.first_second.items():
        for key in (("queue", queue), ("all", None)):
            peers = tallies.setdefault(key, _Tally()).peers
            for first, row in confusion.items():
                peers.setdefault(first, Counter()).update(row)
    for queue, items in counts.subjects.items():
        for key in (("queue", queue), ("all", None)):
            tallies.setdefault(key, _Tally()).subjects.update(items)


def _percentiles(session: Session, scope: CTE, dimension: str | None,
                 tallies: _Tallies) -> None:
    """Handle time p50 and p90 by nearest rank: the value at rank ceil(p * n). PostgreSQL
    has it as an aggregate (`percentile_disc`); elsewhere ranks come from window functions."""
    s = scope.c
    group = [s[dimension]] if dimension else []
    ranked = select(*group, s.handle_ms.label("h"),
                    func.row_number().over(partition_by=group or None,
                                           order_by=s.handle_ms).label("rn"),
                    func.count().over(partition_by=group or None).label("n"),
                    ).where(s.handle_ms.is_not(None)).subquery()

    def at(percent: int):  # noqa: ANN202 - an SQL expression
        return func.max(case((ranked.c.rn == (ranked.c.n * percent + 99) // 100, ranked.c.h)))

    keys = [ranked.c[dimension]] if dimension else []
    _keep_percentiles(session.execute(select(*keys, at(50), at(90)).group_by(*keys)),
                      dimension, tallies)


def _percentiles_postgres(session: Session, scope: CTE, tallies: _Tallies) -> None:
    """All three groupings in one pass: GROUPING SETS with the `percentile_disc` aggregate."""
    s = scope.c
    rows = session.execute(
        select(s.reviewer, s.queue, func.grouping(s.reviewer), func.grouping(s.queue),
               *(func.percentile_disc(p).within_group(s.handle_ms) for p in (0.5, 0.9)))
        .where(s.handle_ms.is_not(None))
        .group_by(func.grouping_sets(tuple_(s.reviewer), tuple_(s.queue), tuple_())))
    for reviewer, queue, no_reviewer, no_queue, p50, p90 in rows:
        key: Key = (("reviewer", reviewer) if not no_reviewer else
                    ("queue", queue) if not no_queue else ("all", None))
        tally = tallies.setdefault(key, _Tally())
        tally.p50, tally.p90 = p50, p90


def _keep_percentiles(rows: Iterable[Row[Any]], dimension: str | None,
                      tallies: _Tallies) -> None:
    for row in rows:
        key: Key = (dimension, row[0]) if dimension else ("all", None)
        tally = tallies.setdefault(key, _Tally())
        tally.p50, tally.p90 = row[-2], row[-1]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _overlap_figures(key: Key, tally: _Tally) -> dict[str, object]:
    pairs = sum(sum(row.values()) for row in tally.peers.values())
    if pairs == 0:
        return {"overlap_reason": NO_OVERLAP}
    agree = sum(row.get(action, 0) for action, row in tally.peers.items())
    raters = max((sum(c.values()) for c in tally.subjects.values()), default=2)
    if key[0] == "reviewer" or raters <= 2:
        kappa, why, method = *cohen_from_confusion(tally.peers), "cohen"
    else:
        kappa, why, method = *fleiss_kappa(tally.subjects.values()), "fleiss"
    return {"overlap_pairs": pairs, "overlap_agreement": agree / pairs, "overlap_kappa": kappa,
            "overlap_kappa_method": method, "overlap_reason": why}


def _row(key: Key, tally: _Tally) -> QAReportRow:
    verdicts = sum(sum(row.values()) for row in tally.confusion.values())
    agree = sum(row.get(action, 0) for action, row in tally.confusion.items())
    kappa, kappa_reason = cohen_from_confusion(tally.confusion)
    return QAReportRow(
        reviewer=key[1] if key[0] == "reviewer" else None,
        queue=key[1] if key[0] == "queue" else None,
        decisions=tally.decisions, verdicts=verdicts,
        agreement=_rate(agree, verdicts), agreement_reason=None if verdicts else NO_VERDICTS,
        cohen_kappa=kappa, cohen_kappa_reason=kappa_reason if verdicts else NO_VERDICTS,
        confusion={mine: dict(row) for mine, row in sorted(tally.confusion.items())},
        gold_decisions=tally.gold, gold_accuracy=_rate(tally.gold_right, tally.gold),
        gold_reason=None if tally.gold else NO_GOLD,
        **_overlap_figures(key, tally),  # type: ignore[arg-type]
        handle_time_ms_p50=tally.p50, handle_time_ms_p90=tally.p90,
        escalation_rate=_rate(tally.escalations, tally.decisions),
        reveal_rate=_rate(tally.revealed, tally.decisions),
    )


def qa_report(session: Session, *, reviewer: str | None = None, queue: str | None = None,
              since: datetime | None = None, until: datetime | None = None) -> QAReport:
    wanted = DecisionFilter(reviewer=reviewer, queue=queue, since=since, until=until)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # These statements are short; compiling them (JIT) costs more than running them.
        session.execute(text("SET LOCAL jit = off"))
    scope = _scope(wanted, "scope")
    tallies = _Tallies()
    tallies[("all", None)] = _Tally()
    _basics(session, scope, tallies)
    _verdicts(session, wanted, tallies)
    _overlap(session, wanted, tallies)
    if postgres:
        _percentiles_postgres(session, scope, tallies)
    else:
        for dimension in ("reviewer", "queue", None):
            _percentiles(session, scope, dimension, tallies)
    rows = {key: _row(key, tally) for key, tally in sorted(
        tallies.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))}
    overall = rows[("all", None)]
    return QAReport(
        verdicts=overall.verdicts, agreement=overall.agreement,
        cohen_kappa=overall.cohen_kappa, confusion=overall.confusion,
        handle_time_ms_p50=overall.handle_time_ms_p50, since=since, until=until,
        overall=overall,
        reviewers=[row for key, row in rows.items() if key[0] == "reviewer"],
        queues=[row for key, row in rows.items() if key[0] == "queue"],
    )
