"""The wellness report as CSV: one table per file, a header row, figures only.

Pure functions over `WellnessSummary`; the console writes the text to the file the
coordinator chose (on a worker, not the GUI thread). Never any content.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from reviewer.protocol import WellnessSummary

REVIEWER_COLUMNS = ("reviewer", "teams", "exposure_s", "reveals", "items_decided", "breaks_due",
                    "breaks_taken", "max_day_exposure_s", "max_day_items",
                    "daily_reveal_seconds_cap", "daily_item_cap", "days_over_cap",
                    "days_near_cap", "cap_status")
TEAM_COLUMNS = ("team", "reviewers", "exposure_s", "reveals", "items_decided", "breaks_due",
                "breaks_taken", "exposure_s_p50", "exposure_s_p90", "over_cap", "near_cap")
DAY_COLUMNS = ("day", "team", "exposure_s", "reveals", "items_decided", "breaks_due",
               "breaks_taken")
CATEGORY_COLUMNS = ("category", "severity", "items_decided", "items_revealed", "reveals",
                    "exposure_s", "reveal_rate")


def _csv(columns: Sequence[str], rows: Iterable[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else _cell(row[c]) for c in columns])
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return value


def summary_tables(summary: WellnessSummary) -> dict[str, str]:
    """{table name: CSV text} for the reviewers, teams, days and categories tables."""
    return {
        "reviewers": _csv(REVIEWER_COLUMNS, (r.model_dump() for r in summary.reviewers)),
        "teams": _csv(TEAM_COLUMNS, (t.model_dump() for t in summary.teams)),
        "days": _csv(DAY_COLUMNS, (d.model_dump() for d in summary.days)),
        "categories": _csv(CATEGORY_COLUMNS, (c.model_dump() for c in summary.categories)),
    }
