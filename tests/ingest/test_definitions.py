"""Dataset definitions and taxonomies: the shipped ones load; mistakes name file, line and field."""

from __future__ import annotations

import re

import pytest

from ingest.definitions import DefinitionError, load_definitions
from ingest.taxonomy import load_taxonomies
from kaifang.settings import REPO_ROOT
from tests.ingest.ingest_fixtures import copy_definition, copy_definition_without_english

REQUIRED_DATASETS = {
    "import_inspections", "failed_import_batches", "market_inspections",
    "metrology_verifications", "measurement_sites", "sampling_dispatch",
    "product_safety_news", "service_performance",
}  # fmt: skip


def test_shipped_definitions_load_and_cover_the_branch_datasets():
    definitions = {d.name: d for d in load_definitions(REPO_ROOT / "datasets")}
    assert set(definitions) >= REQUIRED_DATASETS
    for definition in definitions.values():
        for column in definition.columns:
            assert column.label and column.description, (definition.name, column.name)
    # the personal data of the exports never reaches a published column as is
    personal = {"聯絡人", "聯絡電話", "負責人", "商家電話", "所有人", "駕駛人姓名", "駕駛人身分證字號",
                "車牌號碼", "駕駛", "contact_person", "contact_phone"}  # fmt: skip
    for definition in definitions.values():
        for column in definition.columns:
            if column.source in personal:
                assert column.deid == "drop", (definition.name, column.source)
            if column.source == "備註":
                assert column.deid == "scrub", definition.name


def test_every_shipped_dataset_describes_itself_and_its_published_columns_in_english():
    """English pages fall back to zh-TW for a missing text; a shipped dataset must not need to."""
    missing = []
    for definition in load_definitions(REPO_ROOT / "datasets"):
        if not definition.description_en:
            missing.append((definition.name, "description_en"))
        if definition.keywords and not definition.keywords_en:
            missing.append((definition.name, "keywords_en"))
        for column in definition.published_columns:
            for field, needed in (("label_en", True), ("description_en", True),
                                  ("unit_en", column.unit is not None)):  # fmt: skip
                if needed and not getattr(column, field):
                    missing.append((definition.name, f"{column.name}.{field}"))
    assert missing == []


def test_a_definition_without_english_texts_still_loads(datasets_dir):
    copy_definition_without_english(datasets_dir, "import_inspections")
    (definition,) = load_definitions(datasets_dir)
    assert definition.title_en == "Import inspection batches"
    assert definition.description_en is None and definition.keywords_en == ()
    assert {(c.label_en, c.description_en, c.unit_en) for c in definition.columns} == {
        (None, None, None)
    }


def test_service_taxonomy_is_complete_and_local_codes_are_marked():
    taxonomies = load_taxonomies(REPO_ROOT / "datasets")
    assert len(taxonomies["service"]) == 18
    assert all(category.official for category in taxonomies["service"].values())
    assert taxonomies["topic"]["800"].official is True
    assert taxonomies["topic"]["L10"].official is False
    assert taxonomies["policy"]["L11"].parent == "L10"


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ({"deid: pseudonym, index: true}": "index: true}"},
         r"import_inspections\.yml:\d+: columns\[18\]\.deid: missing: every column needs a de-identification rule"),
        ({'service: ["600", E00]': 'service: ["600", E99]'},
         r"import_inspections\.yml:\d+: categories\.service\[1\]: unknown service code 'E99'"),
        ({'deid: "generalize:district"': 'deid: "generalize:street"'},
         r"import_inspections\.yml:\d+: columns\[7\]\.deid: bad rule 'generalize:street'"),
        ({"type: integer, label: 數量": "type: number, label: 數量"},
         r"import_inspections\.yml:\d+: columns\[13\]\.type: 'number' is not one of"),
        ({"keywords_en: [inspection application,": "keywords_en: [1,"},
         r"import_inspections\.yml:\d+: keywords_en: must be a list of texts"),
        ({'(quantity_unit)",\n     unit: null,':
              '(quantity_unit)",\n     unit: null, unit_en: sets,'},
         r"import_inspections\.yml:\d+: columns\[13\]\.unit_en: an English unit needs a unit"),
    ],
    ids=["column-without-rule", "unknown-category", "bad-rule", "unknown-type",
         "english-keywords-not-texts", "english-unit-without-unit"],
)  # fmt: skip
def test_definition_errors_name_file_line_and_field(datasets_dir, replace, expected):
    copy_definition(datasets_dir, "import_inspections", replace)
    with pytest.raises(DefinitionError) as caught:
        load_definitions(datasets_dir)
    assert re.search(expected, str(caught.value)), str(caught.value)


def test_error_line_points_at_the_offending_column(datasets_dir):
    path = copy_definition(datasets_dir, "sampling_dispatch", {"deid: drop}": "deid: burn}"})
    with pytest.raises(DefinitionError) as caught:
        load_definitions(datasets_dir)
    line = int(re.search(r"sampling_dispatch\.yml:(\d+):", str(caught.value)).group(1))
    assert "deid: burn" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_taxonomy_with_unknown_parent_is_rejected(datasets_dir):
    topic = datasets_dir / "taxonomies" / "topic.yml"
    topic.write_text(
        topic.read_text(encoding="utf-8")
        + "- {code: L50, name: 測試, name_en: Test, parent: L99, official: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DefinitionError, match=r"topic\.yml:\d+: \[\d+\]\.parent: unknown parent code 'L99'"
    ):
        load_definitions(datasets_dir)
