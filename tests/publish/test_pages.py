"""The catalog home, category pages and dataset landing pages a reader sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.tags.append((attrs["name"], attrs.get("content", "")))
        if tag == "html":
            self.html_lang = attrs.get("lang")


def meta_of(html: str) -> MetaTags:
    parser = MetaTags()
    parser.feed(html)
    return parser


def dataset_links(html: str) -> set[str]:
    return set(re.findall(r'href="/datasets/([a-z_]+)"', html))


def test_home_lists_datasets_by_category_with_counts_and_update_time(portal):
    _, client = portal
    html = client.get("/").text
    assert meta_of(html).html_lang == "zh-Hant-TW"
    assert dataset_links(html) == {
        "import_inspections",
        "metrology_verifications",
        "market_inspections",
    }
    assert "商品檢驗" in html and "度量衡" in html  # topic groups
    assert "資料筆數：40" in html and "最後更新" in html
    assert 'action="/search"' in html


def test_category_pages_list_exactly_the_datasets_of_the_class(portal):
    _, client = portal
    assert dataset_links(client.get("/categories/topic/L20").text) == {"metrology_verifications"}
    assert dataset_links(client.get("/categories/service/600").text) == {"import_inspections"}
    assert dataset_links(client.get("/categories/service/E00").text) == {
        "import_inspections",
        "metrology_verifications",
        "market_inspections",
    }
    # a parent class lists the datasets of its sub-classes
    assert dataset_links(client.get("/categories/topic/L00").text) == {
        "import_inspections",
        "metrology_verifications",
        "market_inspections",
    }
    assert "此分類目前沒有資料集" in client.get("/categories/service/700").text
    assert client.get("/categories/service/ZZZ").status_code == 404


def test_category_index_marks_local_codes(portal):
    _, client = portal
    html = client.get("/categories").text
    assert "依主題分類" in html and "依施政分類" in html and "依服務分類" in html
    local = re.search(r'href="/categories/topic/L10">.*?</li>', html, re.S).group(0)
    assert "非官方分類" in local
    official = re.search(r'href="/categories/service/E00">.*?</li>', html, re.S).group(0)
    assert "非官方分類" not in official


def test_landing_page_describes_the_dataset(portal):
    _, client = portal
    html = client.get("/datasets/import_inspections").text
    for text in (
        "輸入商品報驗批次",
        "主要欄位說明",
        "貨品名稱",
        "授權方式",
        "政府資料開放授權條款－第1版",
        "顯名聲明",
        "經濟部標準檢驗局基隆分局 20",
        "每日",
        "資料筆數",
        "異動紀錄",
        "API 使用範例",
        "curl -s",
        "Excel 用 CSV",
    ):
        assert text in html, text
    assert (
        "聯絡人" not in html.split("主要欄位說明")[1].split("</table>")[0]
    )  # dropped column not listed
    assert 'href="/import_inspections.db"' in html
    assert "_bom=1" in html


def test_landing_page_carries_government_and_dublin_core_meta_tags(portal):
    _, client = portal
    tags = meta_of(client.get("/datasets/import_inspections").text).tags
    names = dict(tags)
    assert ("Category.Theme", "L10") in tags
    assert ("Category.Cake", "L11") in tags
    assert ("Category.Service", "600") in tags and ("Category.Service", "E00") in tags
    assert names["DC.Title"] == "輸入商品報驗批次"
    assert names["DC.Creator"] == names["DC.Publisher"] == "經濟部標準檢驗局基隆分局"
    assert "報驗" in names["DC.Subject"]
    assert names["DC.Language"] == "zh-TW"
    assert "https://data.gov.tw/license" in names["DC.Rights"]
    assert names["DC.coverage.t.min"] == "2026-01-01" and names["DC.coverage.t.max"] >= "2026-09-01"
    for name in ("DC.Description", "DC.Date", "DC.Type", "DC.Format", "DC.Identifier"):
        assert names[name], name


def test_unknown_dataset_is_a_404(portal):
    _, client = portal
    response = client.get("/datasets/nope")
    assert response.status_code == 404
    assert "找不到頁面" in response.text


def test_charts_come_with_a_data_table_alternative(portal):
    _, client = portal
    html = client.get("/datasets/metrology_verifications").text
    assert 'class="chart-canvas"' in html and "vega-embed.min.js" in html
    table = html.split('class="chart-data"')[1].split("</table>")[0]
    assert "計程車計費表" in table and '<th scope="col">件數</th>' in table
    assert client.get("/-/kaifang/vendor/vega-embed.min.js").status_code == 200


def test_monthly_charts_say_months_not_days(portal):
    _, client = portal
    html = client.get("/datasets/import_inspections").text
    table = html.split('class="chart-data"')[1].split("</table>")[0]
    months = re.findall(r"<td>(\d{4}-\d{2}(?:-\d{2})?)</td>", table)
    assert months and all(len(month) == 7 for month in months), months


def test_a_withheld_figure_reads_empty_in_the_chart_table_not_none(published_settings):
    """citizen_case_stats publishes a figure of fewer than 3 cases empty (NULL); the chart's data
    table must show it empty, as the dataset does, not as the Python word None."""
    import sqlite_utils

    from tests.publish.conftest import _serve
    from tests.publish.sample_portal import write_published

    write_published(published_settings, ["citizen_case_stats"])
    db = sqlite_utils.Database(published_settings.published / "citizen_case_stats.db")
    db.execute(
        "update citizen_case_stats set measure = '義務監視員通報數', dimension = '合計', "
        "value = null, base = null"
    )
    db.conn.commit()
    db.close()
    serving = _serve(published_settings)
    _, client = next(serving)
    try:
        html = client.get("/datasets/citizen_case_stats").text
    finally:
        serving.close()
    table = html.split('class="chart-data"')[1].split("</table>")[0]
    assert "義務監視員通報" in table and "None" not in table
