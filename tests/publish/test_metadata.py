"""Every published table and column carries a description, from one source of truth."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ingest import case_stats
from kaifang.settings import REPO_ROOT
from publish.catalog import as_iso_date
from publish.metadata import MetadataError, column_description, load_portal_metadata
from tests.publish.sample_portal import definitions_by_name

# Every measure citizen_case_stats publishes, as the data writes it.
CASE_STATS_MEASURES = (
    case_stats.RECEIVED,
    case_stats.ANSWERED,
    case_stats.MEDIAN_DAYS,
    case_stats.P90_DAYS,
    case_stats.ON_TIME_SHARE,
    case_stats.SATISFACTION,
    case_stats.VOLUNTEER_REPORTS,
)


def test_every_published_table_and_column_is_described(every_dataset_portal):
    _, client = every_dataset_portal
    metadata = client.get("/-/metadata.json").json()
    for name in client.get("/.json").json():
        tables = client.get(f"/{name}.json").json()["tables"]
        for table in tables:
            if table["hidden"]:
                continue
            described = metadata["databases"][name]["tables"].get(table["name"], {})
            assert described.get("description"), f"{name}.{table['name']} has no description"
            for column in table["columns"]:
                assert described.get("columns", {}).get(column), (
                    f"{name}.{table['name']}.{column} has no description"
                )


def test_the_licence_and_search_index_are_set_per_dataset(portal):
    _, client = portal
    metadata = client.get("/-/metadata.json").json()
    dataset = metadata["databases"]["metrology_verifications"]
    assert dataset["license_url"] == "https://data.gov.tw/license"
    assert (
        dataset["tables"]["metrology_verifications"]["fts_table"] == "metrology_verifications_fts"
    )
    assert "portal" not in metadata  # our own section is never handed to Datasette


def test_a_column_with_a_unit_says_so_in_its_description():
    definition = definitions_by_name()["import_inspections"]
    quantity = next(c for c in definition.published_columns if c.name == "quantity")
    assert (
        column_description(replace(quantity, unit="台"))
        == f"{quantity.label}：{quantity.description}（單位：台）"
    )


def test_metadata_yml_names_publisher_licence_and_contact():
    portal = load_portal_metadata(REPO_ROOT / "metadata.yml")
    assert portal.publisher["name"] == "經濟部標準檢驗局基隆分局"
    licence = portal.licence("ogdl-tw-1")
    assert licence.name == "政府資料開放授權條款－第1版"
    assert licence.url == "https://data.gov.tw/license"
    assert "政府資料開放授權條款" in licence.attribution
    assert portal.portal["contact"]["email"]


def test_a_metadata_file_without_a_licence_is_refused_with_the_key_named(tmp_path):
    broken = tmp_path / "metadata.yml"
    broken.write_text(
        "title: x\ndescription: y\nlicense_url: https://data.gov.tw/license\n", encoding="utf-8"
    )
    with pytest.raises(MetadataError, match="'license' is required"):
        load_portal_metadata(broken)


def test_dates_months_quarters_and_years_become_coverage_bounds():
    assert as_iso_date("2023-05-17T08:00:00+00:00", end=False) == "2023-05-17"
    assert (as_iso_date("2024-02", end=False), as_iso_date("2024-02", end=True)) == (
        "2024-02-01",
        "2024-02-29",
    )
    assert (as_iso_date("2023-Q2", end=False), as_iso_date("2023-Q2", end=True)) == (
        "2023-04-01",
        "2023-06-30",
    )
    assert (as_iso_date("2023", end=False), as_iso_date("2023", end=True)) == (
        "2023-01-01",
        "2023-12-31",
    )
    assert as_iso_date("不詳", end=False) is None


def test_case_statistics_say_what_each_value_is():
    """A researcher reading citizen_case_stats must learn, per measure, what ``value`` holds:
    滿意度 rows count survey answers per score (the score is the 分類), not a score; days are
    elapsed calendar days, not the working days of the 3-day target."""
    definitions = definitions_by_name()
    stats = {c.name: column_description(c) for c in definitions["citizen_case_stats"].columns}
    assert [m for m in CASE_STATS_MEASURES if m not in stats["measure"]] == []
    assert [m for m in CASE_STATS_MEASURES if m not in stats["value"]] == []
    assert "填答件數" in stats["value"] and "日曆天" in stats["value"]
    cases = {c.name: column_description(c) for c in definitions["citizen_cases"].columns}
    assert "日曆天" in cases["days_to_first_reply"]


def test_descriptions_have_no_space_between_chinese_characters():
    # YAML folds a long description's lines with spaces: 「… 報驗行」 would reach DCAT as is
    between_chinese = re.compile(r"[\u3400-\u9fff，。、；：）] [\u3400-\u9fff（]")
    catalog = load_portal_metadata(REPO_ROOT / "metadata.yml").datasette["description"]
    descriptions = [catalog, *(d.description for d in definitions_by_name().values())]
    assert [d for d in descriptions if between_chinese.search(d)] == []
