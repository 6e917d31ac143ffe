"""The monthly statistics equal what the store holds: every figure is recomputed here from the
cases the test made, and cells of fewer than 3 cases are published empty."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict

from feedback_api.lifecycle import STATUSES
from feedback_api.vocabulary import CASE_TYPES, CHANNELS
from tests.cases_open_data.quarter import Made, make_quarter
from tests.cases_open_data.store_cases import TAIPEI, published_rows


def expected_statistics(made: list[Made]) -> dict[tuple, tuple]:
    """(month, measure, dimension, category) → (value, base), small cells emptied."""
    figures: dict[tuple, tuple] = {}

    def put(month, measure, dimension, category, value, base):
        figures[(month, measure, dimension, category)] = (None, None) if base < 3 else (value, base)

    by_month = defaultdict(list)
    for case in made:
        by_month[f"{case.received.astimezone(TAIPEI):%Y-%m}"].append(case)
    for month, cases in by_month.items():
        put(month, "收件數", "合計", "合計", len(cases), len(cases))
        breakdowns = {
            "案件類型": Counter(CASE_TYPES[c.case_type][0] for c in cases),
            "受理管道": Counter(CHANNELS[c.channel][0] for c in cases),
            "承辦單位": Counter(c.unit for c in cases),
        }
        for dimension, counts in breakdowns.items():
            for category, count in counts.items():
                put(month, "收件數", dimension, category, count, count)
        days = sorted(
            round((c.answered - c.received).total_seconds() / 86400, 1)
            for c in cases
            if c.answered is not None
        )
        put(month, "已回覆件數", "合計", "合計", len(days), len(days))
        put(
            month,
            "首次回覆天數中位數",
            "合計",
            "合計",
            round(statistics.median(days), 1),
            len(days),
        )
        p90 = days[math.ceil(0.9 * len(days)) - 1]
        put(month, "首次回覆天數第90百分位數", "合計", "合計", p90, len(days))
        # every unanswered case of these months is past its due date by now: late
        on_time = [c.answered is not None and c.answered <= c.due for c in cases]
        share = round(100 * sum(on_time) / len(on_time), 1)
        put(month, "3日內回覆比率", "合計", "合計", share, len(on_time))
        for score, count in Counter(c.score for c in cases if c.score).items():
            put(month, "滿意度", "滿意度", f"{score}分", count, count)
        volunteer = [c for c in cases if c.volunteer]
        put(month, "義務監視員通報數", "合計", "合計", len(volunteer), len(volunteer))
        for outcome, count in Counter(STATUSES[c.status][0] for c in volunteer).items():
            put(month, "義務監視員通報數", "處理結果", outcome, count, count)
    return figures


def test_monthly_statistics_equal_the_cases_in_the_store(settings, store, staff, run_case_datasets):
    made = make_quarter(store, staff)
    run_case_datasets()

    published = {
        (r["month"], r["measure"], r["dimension"], r["category"]): (r["value"], r["base"])
        for r in published_rows(settings.published, "citizen_case_stats")
    }
    expected = expected_statistics(made)
    assert published.keys() == expected.keys()
    for figure, (value, base) in expected.items():
        assert published[figure] == (value, base), figure
    # the data make the checks bite: real figures next to suppressed small cells
    assert expected[("2026-09", "收件數", "合計", "合計")] == (12, 12)
    assert any(value is None for value, _ in expected.values())
    assert 0 < expected[("2026-07", "3日內回覆比率", "合計", "合計")][0] < 100
    assert expected[("2026-07", "義務監視員通報數", "合計", "合計")] == (3, 3)
    assert expected[("2026-07", "滿意度", "滿意度", "5分")] == (4, 4)
