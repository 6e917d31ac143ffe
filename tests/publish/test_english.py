"""The English pages: a reader who cannot read Chinese meets Chinese only in the data.

Descriptions, keywords, column labels and descriptions come from the definitions' ``*_en``
texts; licence, attribution, publisher, contact and chart labels from metadata.yml. A text
without English falls back to zh-TW, marked ``lang="zh-Hant-TW"``.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from kaifang.settings import REPO_ROOT, load_settings
from publish.i18n import EN, Fallback
from publish.metadata import column_description
from tests.ingest.ingest_fixtures import copy_definition_without_english
from tests.publish.conftest import DATASETS, _serve
from tests.publish.sample_portal import definitions_by_name, portal_settings, write_published
from tests.publish.test_metadata import CASE_STATS_MEASURES
from tests.publish.test_pages import meta_of

ZH_LANG = "zh-Hant-TW"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")  # with full-width punctuation
PAGES = (
    "/",
    "/categories",
    "/categories/service/E00",
    "/datasets/import_inspections",
    "/datasets/metrology_verifications",
    "/datasets/market_inspections",
    "/import_inspections",
    "/import_inspections/import_inspections",
    "/import_inspections/import_inspections/1",
    "/search?q=inspection",
    "/nope",
    "/import_inspections/nope",
)


class ReaderText(HTMLParser):
    """The text and attribute values a reader meets, except inside scripts, styles and
    elements marked as Chinese."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "col", "source", "wbr", "area", "base"}
    ATTRIBUTES = ("content", "aria-label", "title", "value", "data-column-description")

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.texts: list[str] = []

    def hidden(self) -> bool:
        return any(tag in ("script", "style") or lang == ZH_LANG for tag, lang in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.VOID:
            self.open.append((tag, attrs.get("lang")))
        if not self.hidden() and attrs.get("lang") != ZH_LANG:
            self.texts += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        if not self.hidden():
            self.texts.append(data)


def english(client, path: str) -> str:
    """The page at ``path`` in English."""
    return client.get(path + ("&" if "?" in path else "?") + f"_lang={EN}").text


def chinese_outside_chinese_elements(html: str) -> set[str]:
    parser = ReaderText()
    parser.feed(html)
    return {run for text in parser.texts for run in CJK.findall(text)}


def english_texts(definition) -> list[str]:
    texts = [definition.title_en, definition.description_en or "", *definition.keywords_en]
    for column in definition.published_columns:
        texts += [column.label_en or "", column.description_en or "", column.unit_en or ""]
    return texts


def data_values(published: Path) -> set[str]:
    """Every Chinese run in the published rows (the sample data, and what charts show of it)."""
    runs = set()
    for name in DATASETS:
        with sqlite3.connect(published / f"{name}.db") as connection:
            for row in connection.execute(f'select * from "{name}"'):
                runs |= {
                    run for value in row if isinstance(value, str) for run in CJK.findall(value)
                }
    return runs


def serve(settings):
    """(settings, client) of a portal over ``settings`` until the test ends."""
    server = _serve(settings)
    _, client = next(server)
    try:
        yield settings, client
    finally:
        server.close()


@pytest.fixture(scope="module")
def english_portal(tmp_path_factory):
    """(settings, client) of a portal publishing DATASETS."""
    home = tmp_path_factory.mktemp("kaifang-home")
    settings = portal_settings(load_settings({"KAIFANG_HOME": str(home)}).ensure_dirs())
    write_published(settings, DATASETS)
    yield from serve(settings)


def test_english_landing_page_describes_dataset_and_fields_in_english(english_portal):
    _, client = english_portal
    definition = definitions_by_name()["import_inspections"]
    html = english(client, "/datasets/import_inspections")
    assert escape(definition.description_en) in html
    assert definition.description not in html
    assert ", ".join(definition.keywords_en) in html
    fields = html.split('class="fields"')[1].split("</table>")[0]
    for column in definition.published_columns:
        assert f"<td>{escape(column.label_en)}</td>" in fields, column.name
        assert f"<td>{escape(column.description_en)}</td>" in fields, column.name
        assert column.description not in fields, column.name
    licence = html.split('id="licence-heading"')[1].split("</section>")[0]
    assert "Open Government Data License, version 1.0" in licence
    assert "政府資料開放授權條款" not in licence
    assert (
        "Keelung Branch, Bureau of Standards, Metrology and Inspection (BSMI), Ministry of "
        "Economic Affairs 20" in licence
    )
    assert "Import inspection batches (version 1). The Open Data is made available" in licence
    assert "Open data contact, Keelung Branch, BSMI" in html  # footer
    tags = dict(meta_of(html).tags)
    assert tags["DC.Title"] == definition.title_en
    assert tags["DC.Description"] == definition.description_en
    assert tags["DC.Subject"] == "; ".join(definition.keywords_en)
    assert tags["DC.Type"] == "Dataset" and tags["DC.Language"] == "zh-TW"  # the data's language


def test_english_pages_show_chinese_only_in_data_and_in_elements_marked_chinese(english_portal):
    settings, client = english_portal
    allowed = data_values(settings.published)
    for definition in definitions_by_name().values():
        allowed |= {run for text in english_texts(definition) for run in CJK.findall(text)}
    for path in PAGES:
        html = english(client, path)
        assert '<html lang="en">' in html, path
        assert chinese_outside_chinese_elements(html) - allowed == set(), path


def test_english_table_and_row_pages_describe_the_columns_in_english(english_portal):
    _, client = english_portal
    definition = definitions_by_name()["import_inspections"]
    result = next(c for c in definition.published_columns if c.name == "result")
    described = escape(column_description(result, EN))
    for path in (
        "/import_inspections/import_inspections",
        "/import_inspections/import_inspections/1",
    ):
        html = english(client, path)
        assert f'data-column-description="{described}"' in html, path
        assert escape(column_description(result)) not in html, path
    table = english(client, "/import_inspections/import_inspections")
    assert escape(definition.description_en) in table and f"<dd>{described}</dd>" in table
    chinese = client.get("/import_inspections/import_inspections", params={"_lang": "zh-TW"})
    assert 'data-column-description="檢驗結果：合格或不合格"' in chinese.text
    assert definition.description in chinese.text


def test_english_provenance_pages_are_in_english(english_portal):
    _, client = english_portal
    html = english(client, "/catalog/runs")
    assert "Publishing runs" in html and "Run ID: unique identifier of the publishing run" in html
    for path in ("/catalog", "/catalog/runs", "/catalog/changelog"):
        assert chinese_outside_chinese_elements(english(client, path)) == set(), path


def test_english_charts_name_their_columns_and_series_in_english(english_portal):
    _, client = english_portal
    html = english(client, "/datasets/import_inspections")
    table = html.split('class="chart-data"')[1].split("</table>")[0]
    assert '<th scope="col">Month</th>' in table and "<td>Failed batches</td>" in table
    charts = html.split('id="charts-heading"')[1].split("</section>")[0]
    assert "不合格批數" not in charts and "月份" not in charts
    chinese = client.get("/datasets/import_inspections", params={"_lang": "zh-TW"}).text
    assert "<td>不合格批數</td>" in chinese


def test_a_column_description_reads_as_english_with_its_unit():
    cases = definitions_by_name()["citizen_cases"]
    days = next(c for c in cases.columns if c.name == "days_to_first_reply")
    assert column_description(days, EN) == (
        f"Days to first reply: {days.description_en} (unit: days)"
    )
    assert not isinstance(column_description(days, EN), Fallback)


def test_case_statistics_say_in_english_what_each_measure_is_and_how_the_data_names_it():
    """A reader of the English page filters citizen_case_stats on the measure names the data
    writes in Chinese; the English descriptions of measure and value must give each one."""
    definition = definitions_by_name()["citizen_case_stats"]
    stats = {c.name: column_description(c, EN) for c in definition.columns}
    assert [m for m in CASE_STATS_MEASURES if m not in stats["measure"]] == []
    assert [m for m in CASE_STATS_MEASURES if m not in stats["value"]] == []
    assert "survey answers" in stats["value"] and "calendar days" in stats["value"]


@pytest.fixture
def portal_without_english(settings, tmp_path):
    """A portal whose import_inspections definition has none of the optional English texts."""
    datasets = tmp_path / "datasets"
    shutil.copytree(REPO_ROOT / "datasets" / "taxonomies", datasets / "taxonomies")
    copy_definition_without_english(datasets, "import_inspections")
    settings = replace(portal_settings(settings), datasets_dir=datasets)
    write_published(settings, ["import_inspections"])
    yield from serve(settings)


def test_a_text_without_english_is_shown_in_chinese_marked_as_chinese(portal_without_english):
    _, client = portal_without_english
    definition = definitions_by_name()["import_inspections"]
    html = english(client, "/datasets/import_inspections")
    assert f'<p class="dataset-description" lang="{ZH_LANG}">{definition.description}</p>' in html
    result = next(c for c in definition.published_columns if c.name == "result")
    assert f'<td lang="{ZH_LANG}">{result.label}</td>' in html
    assert f'<td lang="{ZH_LANG}">{result.description}</td>' in html
    table = english(client, "/import_inspections/import_inspections")
    assert f'<div class="metadata-description" lang="{ZH_LANG}">' in table
    assert f'<dd lang="{ZH_LANG}">{column_description(result)}</dd>' in table
