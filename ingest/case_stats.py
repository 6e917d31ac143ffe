"""Monthly statistics of citizen cases (dataset ``citizen_case_stats``), in one tidy table.

Each row is one figure: ``month`` (of receipt, Taipei calendar), ``measure``, ``dimension``
(what the figure is broken down by, 合計 for the whole month), ``category`` (the value of that
dimension), ``value`` and ``base`` (how many cases the figure is computed from). Measures:

- 收件數: cases received, in total and by 案件類型, 受理管道 and 承辦單位;
- 已回覆件數, 首次回覆天數中位數, 首次回覆天數第90百分位數: cases answered and the median
  and 90th percentile (nearest rank) of their days to the first answer;
- 3日內回覆比率: the percentage of cases with a verdict (answered, or past their due date)
  answered within the 3-working-day target (``ingest.cases.within_target``);
- 滿意度: survey answers by score (1–5 分);
- 義務監視員通報數: volunteer monitors' reports by 處理結果 (their current status).

Small cells: a figure computed from 1 or 2 cases is published empty (value and base), so no
cell describes one or two identifiable people. Zeros are not listed: a category appears in
a month only when at least one case has it. Where a breakdown's total is published (cases
received, volunteers' reports), further cells are emptied, or small ones left out, so that no
empty cell can be recovered from the total (``complementary_suppression``).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from feedback_api.lifecycle import STATUSES
from feedback_api.store import CaseRecord
from feedback_api.vocabulary import CASE_TYPES, CHANNELS, label
from ingest.cases import days_to_first_answer, received_month, within_target
from ingest.deid.kanon import complementary_suppression, suppress_small_cells

SMALL_CELL = 3
TOTAL = "合計"
RECEIVED = "收件數"
ANSWERED = "已回覆件數"
MEDIAN_DAYS = "首次回覆天數中位數"
P90_DAYS = "首次回覆天數第90百分位數"
ON_TIME_SHARE = "3日內回覆比率"
SATISFACTION = "滿意度"
VOLUNTEER_REPORTS = "義務監視員通報數"

_BREAKDOWNS: tuple[tuple[str, Callable[[CaseRecord], str | None]], ...] = (
    ("案件類型", lambda case: label(CASE_TYPES, case.case_type)),
    ("受理管道", lambda case: label(CHANNELS, case.channel)),
    ("承辦單位", lambda case: case.unit),
)


def nearest_rank(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of values at or
    below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def monthly_statistics(cases: Iterable[CaseRecord], now: datetime) -> list[dict]:
    """Every figure of every month with cases, small cells suppressed, in a stable order."""
    by_month: dict[str, list[CaseRecord]] = defaultdict(list)
    for case in cases:
        by_month[received_month(case)].append(case)
    rows = []
    for month in sorted(by_month):
        rows.extend(
            {"month": month, "measure": measure, "dimension": dimension, "category": category,
             "value": value, "base": base}
            for measure, dimension, category, value, base in _month_figures(by_month[month], now)
        )  # fmt: skip
    rows = _protect_breakdowns(rows)
    return [
        row if row["base"] is not None else {**row, "value": None}
        for row in suppress_small_cells(rows, ["base"], threshold=SMALL_CELL)
    ]


def _protect_breakdowns(rows: list[dict]) -> list[dict]:
    """Empty (``base`` None) or leave out the breakdown cells that their published total would
    give away; the counts are still exact here, before small cells are emptied."""
    totals = {
        (row["month"], row["measure"])
        for row in rows
        if row["dimension"] == TOTAL and row["base"] >= SMALL_CELL
    }
    breakdowns: dict[tuple, dict[str, int]] = defaultdict(dict)
    for row in rows:
        if row["dimension"] != TOTAL and (row["month"], row["measure"]) in totals:
            breakdowns[row["month"], row["measure"], row["dimension"]][row["category"]] = row[
                "base"
            ]
    hidden: dict[tuple, str] = {}
    for group, counts in breakdowns.items():
        suppressed, withheld = complementary_suppression(counts, SMALL_CELL)
        hidden.update({(*group, category): "empty" for category in suppressed})
        hidden.update({(*group, category): "withheld" for category in withheld})
    protected = []
    for row in rows:
        how = hidden.get((row["month"], row["measure"], row["dimension"], row["category"]))
        if how is None:
            protected.append(row)
        elif how == "empty":
            protected.append({**row, "base": None})
    return protected


def _month_figures(cases: list[CaseRecord], now: datetime) -> Iterable[tuple]:
    """(measure, dimension, category, value, base) for one month's cases."""
    yield RECEIVED, TOTAL, TOTAL, len(cases), len(cases)
    for dimension, key in _BREAKDOWNS:
        yield from _counts(RECEIVED, dimension, (key(case) for case in cases))

    days = [d for d in map(days_to_first_answer, cases) if d is not None]
    yield ANSWERED, TOTAL, TOTAL, len(days), len(days)
    if days:
        yield MEDIAN_DAYS, TOTAL, TOTAL, round(statistics.median(days), 1), len(days)
        yield P90_DAYS, TOTAL, TOTAL, nearest_rank(days, 0.9), len(days)
    verdicts = [v for v in (within_target(case, now) for case in cases) if v is not None]
    if verdicts:
        share = round(100 * sum(verdicts) / len(verdicts), 1)
        yield ON_TIME_SHARE, TOTAL, TOTAL, share, len(verdicts)

    scores = [case.satisfaction for case in cases if case.satisfaction is not None]
    if scores:
        yield from _counts(SATISFACTION, SATISFACTION, (f"{score}分" for score in scores))

    volunteer = [case for case in cases if case.volunteer]
    if volunteer:
        yield VOLUNTEER_REPORTS, TOTAL, TOTAL, len(volunteer), len(volunteer)
        outcomes = (label(STATUSES, case.status) for case in volunteer)
        yield from _counts(VOLUNTEER_REPORTS, "處理結果", outcomes)


def _counts(measure: str, dimension: str, categories: Iterable[str | None]) -> Iterable[tuple]:
    tally: dict[str, int] = defaultdict(int)
    for category in categories:
        tally[category or "未填"] += 1
    for category in sorted(tally):
        yield measure, dimension, category, tally[category], tally[category]
