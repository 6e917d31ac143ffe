"""Personal values planted in the exports, in forms the sample data and the branch's clerks
really write, must not be in the published files: each test runs the nightly job and reads the
published database, not a helper's return value."""

from __future__ import annotations

from ingest.nightly import run_nightly
from tests.ingest.ingest_fixtures import (
    IMPORT_HEADER,
    METROLOGY_HEADER,
    copy_definition,
    import_row,
    rows,
    taxi_meter_row,
    write_csv,
)


def published_text(db, table: str) -> str:
    """Every text cell of ``table`` in the published ``db``, joined."""
    columns = [r[1] for r in rows(db, f"PRAGMA table_info({table})")]
    cells = rows(db, f"SELECT {', '.join(columns)} FROM {table}")
    return "\n".join(str(cell) for row in cells for cell in row if isinstance(cell, str))


def test_a_home_address_without_a_road_as_place_of_use_is_not_published(settings, reporter):
    # a household gas meter (膜式氣量計) is used at its owner's home; on Matsu and in rural
    # townships a house number follows the village (介壽村230號) or a named lane (太平巷162號)
    homes = (
        "連江縣南竿鄉介壽村230號",
        "209連江縣南竿鄉介壽村231號",
        "宜蘭縣大同鄉太平巷162號",
        "宜蘭縣大同鄉太平巷191巷328號14樓",
        "住介壽村232號",
    )
    planted = [
        taxi_meter_row(
            n, 器具種類="膜式氣量計", 使用地點=home, 車牌號碼="", 駕駛人姓名="", 駕駛人身分證字號=""
        )
        for n, home in enumerate(homes, start=1)
    ]
    filler = [taxi_meter_row(n) for n in range(10, 40)]
    write_csv(settings.inbox / "metrology_verifications_112.csv", METROLOGY_HEADER,
              planted + filler, encoding="utf-8")  # fmt: skip
    outcome = run_nightly(settings, reporter=reporter)
    result = {r.dataset: r for r in outcome.results}["metrology_verifications"]
    assert result.status == "published", result.message
    db = settings.published / "metrology_verifications.db"
    text = published_text(db, "metrology_verifications")
    for home in homes:
        assert home not in text
    for house in ("230號", "231號", "162號", "328號"):
        assert house not in text


def test_the_public_run_report_shows_no_personal_value_next_to_a_refused_one(
    custom_settings, datasets_dir, reporter
):
    # an operator mistakenly publishes 備註 as is: the gate refuses the file, and the run
    # report, served to everybody in catalog.db, must not carry the values it refused
    copy_definition(datasets_dir, "import_inspections",
                    {"deid: scrub, search: true}": "deid: keep, search: true}"})  # fmt: skip
    remark = "陳情人王小明電話0912-345-678身分證A123456789"
    write_csv(custom_settings.inbox / "import_inspections_112.csv", IMPORT_HEADER,
              [import_row(1, 備註=remark), import_row(2)])  # fmt: skip
    outcome = run_nightly(custom_settings, reporter=reporter)
    assert {r.dataset: r for r in outcome.results}["import_inspections"].status == "failed"
    (report,) = rows(custom_settings.published / "catalog.db", "SELECT report FROM runs")
    for value in ("王小明", "0912", "345-678", "A123456789", "A1234"):
        assert value not in report[0], value


SPELLED = {
    "0912.345.678": "已電洽聯絡人，手機0912.345.678",
    "02.2311.1234": "請回電02.2311.1234",
    "A 1 2 3 4 5 6 7 8 9": "代理人身分證 A 1 2 3 4 5 6 7 8 9 已核對",
    "A12345 6789": "代理人A12345 6789到場",
}


def test_phones_with_dots_and_ids_in_groups_are_scrubbed_in_the_published_file(settings, reporter):
    planted = [import_row(n, 備註=text) for n, text in enumerate(SPELLED.values(), start=1)]
    planted.append(import_row(9, 備註="CCC碼0402.21.00.00-1 申報"))
    write_csv(settings.inbox / "import_inspections_112.csv", IMPORT_HEADER, planted)
    outcome = run_nightly(settings, reporter=reporter)
    result = {r.dataset: r for r in outcome.results}["import_inspections"]
    assert result.status == "published", result.message
    text = published_text(settings.published / "import_inspections.db", "import_inspections")
    for value in SPELLED:
        assert value not in text, value
    assert "0402.21.00.00-1" in text  # a tariff code stays


def test_the_gate_refuses_a_phone_with_dots_in_a_kept_product_name(settings, reporter):
    planted = [import_row(1, 貨品名稱="行動電源 洽0912.345.678"), import_row(2)]
    write_csv(settings.inbox / "import_inspections_112.csv", IMPORT_HEADER, planted)
    outcome = run_nightly(settings, reporter=reporter)
    result = {r.dataset: r for r in outcome.results}["import_inspections"]
    assert result.status == "failed" and result.leaks[0]["type"] == "phone", result.message
    assert not (settings.published / "import_inspections.db").exists()
