"""The monthly statistics equal what the store holds: every figure is recomputed here from the
cases the test made; cells of fewer than 3 cases are published empty or left out, and no
emptied cell of a breakdown can be worked out from its published total."""

from __future__ import annotations

from collections import defaultdict

from tests.cases_open_data.quarter import make_quarter, true_statistics
from tests.cases_open_data.store_cases import published_rows
from tests.disclosure import recover


def test_monthly_statistics_equal_the_cases_in_the_store(settings, store, staff, run_case_datasets):
    made = make_quarter(store, staff)
    run_case_datasets()

    published = {
        (r["month"], r["measure"], r["dimension"], r["category"]): (r["value"], r["base"])
        for r in published_rows(settings.published, "citizen_case_stats")
    }
    truth = true_statistics(made)
    assert published.keys() <= truth.keys()
    for figure, (value, base) in truth.items():
        if base < 3:  # a small cell: emptied, or left out with its category
            assert published.get(figure, (None, None)) == (None, None), figure
        elif published[figure] != (None, None):  # emptied only to protect a small cell
            assert published[figure] == (value, base), figure
    # the data make the checks bite: real figures next to suppressed small cells
    assert published[("2026-09", "收件數", "合計", "合計")] == (12, 12)
    assert any(value is None for value, _ in published.values())
    assert 0 < published[("2026-07", "3日內回覆比率", "合計", "合計")][0] < 100
    assert published[("2026-07", "義務監視員通報數", "合計", "合計")] == (3, 3)
    assert published[("2026-07", "滿意度", "滿意度", "5分")] == (4, 4)


def test_no_emptied_count_can_be_worked_out_from_its_total(
    settings, store, staff, run_case_datasets
):
    made = make_quarter(store, staff)
    run_case_datasets()
    published = {
        (r["month"], r["measure"], r["dimension"], r["category"]): r["base"]
        for r in published_rows(settings.published, "citizen_case_stats")
    }
    breakdowns: dict[tuple, dict[str, int]] = defaultdict(dict)
    for (month, measure, dimension, category), (_, base) in true_statistics(made).items():
        if dimension != "合計" and published.get((month, measure, "合計", "合計")) is not None:
            breakdowns[month, measure, dimension][category] = base
    emptied_somewhere = 0
    for (month, measure, dimension), counts in breakdowns.items():
        listed = {c: n for c, n in counts.items() if (month, measure, dimension, c) in published}
        emptied = {c for c in listed if published[(month, measure, dimension, c)] is None}
        total = published[(month, measure, "合計", "合計")]
        withheld = sum(counts.values()) - sum(listed.values())
        if emptied:
            emptied_somewhere += 1
            assert withheld or recover(listed, total, emptied) is None, (month, measure, dimension)
    assert emptied_somewhere >= 3
