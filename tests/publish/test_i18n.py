"""The interface speaks Traditional Chinese, switches to English, and every message is translated."""

from __future__ import annotations

import re

from publish import i18n
from publish.server import TEMPLATES_DIR, build_datasette
from publish.views import SCHEME_HEADINGS, SCHEME_LABELS, api_examples, download_links

PAGES = (
    "/",
    "/categories",
    "/categories/service/E00",
    "/datasets/import_inspections",
    "/import_inspections",
    "/import_inspections/import_inspections",
    "/import_inspections/import_inspections/1",
    "/import_inspections?sql=select+1",
)


def template_messages() -> set[str]:
    keys = set()
    for template in TEMPLATES_DIR.rglob("*.html"):
        keys |= set(
            re.findall(r"""_\(\s*["']([^"']+)["']\s*\)""", template.read_text(encoding="utf-8"))
        )
    return keys


def test_every_message_the_templates_and_views_use_has_a_zh_tw_text():
    used = template_messages() | set(SCHEME_HEADINGS.values()) | set(SCHEME_LABELS.values())
    used |= {"hide", "show"}  # Datasette's show/hide SQL link text
    assert used - set(i18n.MESSAGES) == set()


def test_download_and_api_labels_are_translated(published_settings):
    dataset = build_datasette(published_settings).kaifang_portal.catalog.get("import_inspections")
    labels = {link["label"] for link in download_links(dataset)}
    labels |= {example["label"] for example in api_examples("http://x", dataset, "玩具")}
    assert labels - set(i18n.MESSAGES) == set()


def test_pages_are_in_traditional_chinese_by_default(portal):
    _, client = portal
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="zh-Hant-TW">' in response.text, path
        assert "跳到主要內容" in response.text and "分類瀏覽" in response.text, path
        for english in ("This data as", "Advanced export", "Custom SQL query", "Powered by"):
            assert english not in response.text, (path, english)


def test_english_is_one_click_away_and_remembered(portal):
    _, client = portal
    english = client.get("/datasets/import_inspections?_lang=en")
    assert '<html lang="en">' in english.text
    assert "Import inspection batches" in english.text and "Fields" in english.text
    assert english.cookies.get(i18n.COOKIE) == "en"
    later = client.get("/import_inspections/import_inspections")
    assert '<html lang="en">' in later.text and "This data as" in later.text
    back = client.get("/?_lang=zh-TW")
    assert '<html lang="zh-Hant-TW">' in back.text and "資料集" in back.text


def test_the_language_parameter_is_not_taken_for_a_column_filter(portal):
    _, client = portal
    data = client.get("/import_inspections/import_inspections.json?_lang=en&_size=1").json()
    assert data["filtered_table_rows_count"] == 40


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_english_database_table_row_and_query_pages_are_titled_in_english(portal):
    _, client = portal
    for path in (
        "/import_inspections",
        "/import_inspections/import_inspections",
        "/import_inspections/import_inspections/1",
        "/import_inspections?sql=select+1",
    ):
        english = client.get(path, params={"_lang": "en"}).text
        assert "Import inspection batches" in _title(english), path
        assert "輸入商品報驗批次" not in _title(english), path
        assert "<h1" in english and "Import inspection batches" in english.split("<h1")[1], path
        chinese = client.get(path, params={"_lang": "zh-TW"}).text
        assert "輸入商品報驗批次" in _title(chinese), path
        assert "Import inspection batches" not in _title(chinese), path


def test_datasettes_own_error_pages_are_in_the_readers_language(portal):
    _, client = portal
    for path in ("/nope", "/import_inspections/nope", "/import_inspections/import_inspections/999"):
        chinese = client.get(path, params={"_lang": "zh-TW"})
        assert chinese.status_code == 404, path
        assert '<html lang="zh-Hant-TW">' in chinese.text, path
        assert "找不到頁面" in chinese.text and "not found" not in chinese.text, path
        assert "經濟部標準檢驗局基隆分局 開放資料" in _title(chinese.text), path
        english = client.get(path, params={"_lang": "en"})
        assert english.status_code == 404, path
        assert '<html lang="en">' in english.text, path
        assert "Page not found" in english.text and "找不到" not in english.text, path
        assert "BSMI Keelung Branch Open Data" in _title(english.text), path
    assert client.get("/nope.json").json()["status"] == 404  # the JSON API keeps its errors
