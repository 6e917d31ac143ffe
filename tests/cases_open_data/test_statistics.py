"""The monthly statistics equal what the store holds: every figure is recomputed here from the
cases the test made, and cells of fewer than 3 cases are published empty."""

from __future__ import annotations

from tests.cases_open_data.quarter import expected_statistics, make_quarter
from tests.cases_open_data.store_cases import published_rows


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
