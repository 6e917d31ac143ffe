"""Chinese full-text search: two-character words find rows, in a table and across the catalog."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import httpx
import sqlite_utils

from ingest.cjk_fts import build_search_index
from publish.server import create_portal_app
from tests.live_server import serving
from tests.publish.sample_portal import PRODUCTS, portal_settings, write_published


def expected_rows(word: str, rows: int = 40) -> int:
    return sum(1 for i in range(rows) if word in PRODUCTS[i % len(PRODUCTS)])


def test_two_character_words_find_rows_in_the_table_search(portal):
    _, client = portal
    for word in ("玩具", "血壓"):
        data = client.get(
            "/import_inspections/import_inspections.json",
            params={"_search": word, "_shape": "objects"},
        ).json()
        assert data["filtered_table_rows_count"] == expected_rows(word) > 0
        assert all(word in row["product_name"] for row in data["rows"])


def test_words_typed_in_simplified_chinese_find_the_traditional_rows(portal):
    _, client = portal
    data = client.get(
        "/import_inspections/import_inspections.json",
        params={"_search": "血压", "_shape": "objects"},
    ).json()
    assert data["filtered_table_rows_count"] == expected_rows("血壓") > 0
    html = client.get("/search", params={"q": "血压"}).text
    assert f"{expected_rows('血壓'):,} 筆符合" in html
    assert (
        'href="/datasets/metrology_verifications"'
        in client.get("/search", params={"q": "度量衡器检定"}).text
    )


def test_the_table_page_keeps_the_readers_words_in_the_search_box(portal):
    _, client = portal
    html = client.get("/import_inspections/import_inspections", params={"_search": "玩具"}).text
    assert re.search(r'name="_search"[^>]*value="玩具"', html)
    assert "兒童玩具車" in html and "電暖器" not in html


def test_a_new_search_from_the_table_form_replaces_the_previous_one(portal):
    _, client = portal
    first = client.get("/import_inspections/import_inspections.json", params={"_search": "玩具"})
    next_url = first.json()["next_url"] or ""
    assert "_q=" in next_url or first.json()["filtered_table_rows_count"] <= 50
    # the form resubmits _searchmode=raw and _q as hidden fields together with the new words
    again = client.get(
        "/import_inspections/import_inspections.json",
        params={"_search": "血壓", "_searchmode": "raw", "_q": "玩具", "_shape": "objects"},
    ).json()
    assert again["filtered_table_rows_count"] == expected_rows("血壓")


def test_catalog_search_finds_datasets_by_metadata_and_by_their_rows(portal):
    _, client = portal
    html = client.get("/search", params={"q": "玩具"}).text
    assert 'href="/datasets/import_inspections"' in html
    assert f"{expected_rows('玩具'):,} 筆符合" in html
    by_title = client.get("/search", params={"q": "度量衡"}).text
    assert 'href="/datasets/metrology_verifications"' in by_title
    assert 'href="/datasets/import_inspections"' not in by_title
    assert "查無結果" in client.get("/search", params={"q": "不存在的字詞組合"}).text


def test_catalog_search_finds_datasets_by_their_english_descriptions_and_fields(portal):
    _, client = portal
    for words in ("fuel dispensers", "Blood Pressure monitor"):  # a keyword, a value's meaning
        html = client.get("/search", params={"q": words, "_lang": "en"}).text
        assert 'href="/datasets/metrology_verifications"' in html, words
        assert 'href="/datasets/import_inspections"' not in html, words
    html = client.get("/search", params={"q": "container yard customs broker"}).text
    assert 'href="/datasets/import_inspections"' in html  # English column labels, any language


def test_the_landing_pages_search_example_finds_rows(settings):
    # the first keyword (取樣) is in no row; the example must use a word that is (報驗行)
    settings = portal_settings(settings)
    write_published(settings, ["sampling_dispatch"])
    db = sqlite_utils.Database(settings.published / "sampling_dispatch.db")
    db["sampling_dispatch"].update(1, {"customs_broker": "大興報驗行"})
    build_search_index(db, "sampling_dispatch", ["customs_broker"])
    db.close()
    with (
        serving(create_portal_app(settings)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        landing = unescape(client.get("/datasets/sampling_dispatch").text)
        example = re.search(r"curl -s '([^']*_search=[^']*)'", landing)[1]
        parts = urlsplit(example)
        found = client.get(f"{parts.path}?{parts.query}&_shape=objects").json()
    assert [row["customs_broker"] for row in found["rows"]] == ["大興報驗行"]
