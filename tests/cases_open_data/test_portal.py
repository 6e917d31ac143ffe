"""On the portal: both case datasets under 公共資訊 (I00) and 生活安全及品質 (E00), and the
charts of monthly volume and of the share answered on time drawn from the published figures."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from publish.server import create_portal_app
from tests.cases_open_data.quarter import make_quarter, true_statistics

TITLES = ("民眾陳情及檢舉案件處理情形", "民眾陳情案件每月統計")


def chart_rows(page: str, caption: str) -> list[list[str]]:
    """The rows of the table that accompanies the chart titled ``caption``."""
    table = re.search(rf"<caption>圖表資料：{caption}</caption>(.*?)</table>", page, re.S)
    assert table, f"no chart table {caption!r}"
    body = table.group(1).split("<tbody>")[1]
    return [re.findall(r"<td>(.*?)</td>", row) for row in body.split("</tr>") if "<td>" in row]


def test_case_datasets_are_in_their_categories_with_their_charts(
    settings, store, staff, run_case_datasets
):
    made = make_quarter(store, staff)
    run_case_datasets()
    expected = true_statistics(made)

    with TestClient(create_portal_app(settings)) as portal:
        for code in ("I00", "E00"):
            page = portal.get(f"/categories/service/{code}")
            assert page.status_code == 200
            assert all(title in page.text for title in TITLES), code
        landing = portal.get("/datasets/citizen_case_stats").text

    on_time = chart_rows(landing, "每月民眾陳情3日內回覆比率")
    assert on_time == [
        [month, str(expected[(month, "3日內回覆比率", "合計", "合計")][0]),
         str(expected[(month, "3日內回覆比率", "合計", "合計")][1])]
        for month in ("2026-07", "2026-08", "2026-09")
    ]  # fmt: skip
    volume = chart_rows(landing, "每月民眾陳情及義務監視員通報件數")
    assert ["2026-09", "收件數（合計）", "12.0"] in volume
    assert ["2026-09", "義務監視員通報", "3.0"] in volume
