"""The nightly job end to end on real files: publish, quarantine, idempotence, changelog,
an export that changed shape, and the leak gate keeping yesterday's file online."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ingest.cjk_fts import fts_query
from ingest.definitions import DefinitionError
from ingest.lock import AlreadyRunning, run_lock
from ingest.nightly import run_nightly
from ingest.publish import file_sha256
from ingest.quarantine import quarantined_rows
from tests.ingest.ingest_fixtures import (
    IMPORT_HEADER,
    MARKET_HEADER,
    METROLOGY_HEADER,
    copy_definition,
    failed_row,
    import_row,
    market_row,
    rows,
    taxi_meter_row,
    write_csv,
    write_failed_xlsx,
    write_sites_json,
)


def write_inbox(inbox, import_rows=None):
    dirty = [
        import_row(2),  # an exact duplicate
        import_row(7, 報驗日期="112/13/45"),
        import_row(8, 申請書案號=""),
        import_row(9, 備註="已電洽聯絡人王小明 0912-345-678 補件,多一欄"),
    ]
    dirty[-1] = dirty[-1][:-1] + ["補件", "多一欄"]  # an unquoted comma: one field too many
    import_rows = import_rows if import_rows is not None else [import_row(n) for n in range(1, 6)]
    write_csv(inbox / "import_inspections_112.csv", IMPORT_HEADER, import_rows + dirty,
              tail="KL1120000099,112/03/01,線上")  # fmt: skip
    write_csv(inbox / "market_inspections_112.csv", MARKET_HEADER,
              [market_row(n) for n in range(1, 4)], encoding="cp950")  # fmt: skip
    write_failed_xlsx(
        inbox / "failed_batches_112.xlsx", [failed_row(1), failed_row(2, "留置或待處理")]
    )
    write_sites_json(inbox / "measurement_sites_112.json")


def by_name(outcome):
    return {result.dataset: result for result in outcome.results}


def rerun_failing(settings, reporter, dataset, change):
    """Apply ``change`` to the inbox and run again: ``dataset`` must fail, the run exit 1 and
    yesterday's file stay published. Returns the run's outcome."""
    published = settings.published / f"{dataset}.db"
    yesterday = file_sha256(published)
    change()
    outcome = run_nightly(settings, reporter=reporter)
    assert outcome.exit_code == 1
    assert by_name(outcome)[dataset].status == "failed"
    assert file_sha256(published) == yesterday
    return outcome


def test_a_run_publishes_deidentified_files_manifest_and_provenance(settings, reporter):
    write_inbox(settings.inbox)
    outcome = run_nightly(settings, reporter=reporter)
    results = by_name(outcome)
    assert outcome.exit_code == 0
    assert results["import_inspections"].status == "published"
    assert results["sampling_dispatch"].status == "skipped"  # no export: nothing to do, no failure

    db = settings.published / "import_inspections.db"
    published = rows(
        db, "SELECT application_no, applied_on, importer_district, officer FROM import_inspections"
    )
    assert [r[0] for r in published] == [f"KL112{n:07d}" for n in range(1, 6)]
    assert published[0][1] == "2023-03-02"  # ROC 112/03/02
    assert published[0][2] == "基隆市中正區"  # street and number removed
    officers = {row[3] for row in published}  # one officer, one stable keyed pseudonym
    assert len(officers) == 1 and "林" not in officers.pop()
    columns = {r[1] for r in rows(db, "PRAGMA table_info(import_inspections)")}
    assert not columns & {"contact_name", "contact_phone"}
    assert not rows(db, "SELECT 1 FROM import_inspections WHERE importer LIKE '%王小明%'")

    # Big5 export published with its Chinese intact and searchable by a two-character word
    market = settings.published / "market_inspections.db"
    assert rows(market, "SELECT DISTINCT county FROM market_inspections") == [("宜蘭縣",)]
    hits = rows(market, "SELECT count(*) FROM market_inspections_fts WHERE market_inspections_fts MATCH ?",
                (fts_query("熱水"),))  # fmt: skip
    assert hits == [(3,)]

    manifest = json.loads((settings.published / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["datasets"]["import_inspections"]
    assert entry["version"] == 1 and entry["rows"] == 5 and entry["sha256"] == file_sha256(db)

    catalog = settings.published / "catalog.db"
    (version,) = rows(catalog, "SELECT rows_read, rows_published, rows_quarantined, sources "
                               "FROM dataset_versions WHERE dataset = 'import_inspections'")  # fmt: skip
    assert version[:3] == (10, 5, 4)
    (source,) = json.loads(version[3])
    assert source["file"] == "import_inspections_112.csv" and source["rows"] == 10
    assert source["sha256"] == file_sha256(settings.inbox / "import_inspections_112.csv")
    assert rows(catalog, "SELECT outcome, datasets_failed FROM runs") == [("ok", 0)]


def test_malformed_rows_are_quarantined_with_reasons(settings, reporter):
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    quarantined = quarantined_rows(settings.internal / "quarantine.db", "import_inspections")
    reasons = {row["line"]: row["reason"] for row in quarantined}
    assert "報驗日期: '112/13/45' is not a real date" in reasons[8]
    assert reasons[9] == "申請書案號: required but empty"
    assert reasons[10].startswith("expected 20 fields, found 21")
    assert reasons[11].startswith("expected 20 fields, found 3")
    assert json.loads(quarantined[0]["raw"])[0] == "KL1120000007"  # the raw row is kept
    assert not (settings.published / "quarantine.db").exists()


def test_same_inputs_twice_change_nothing_but_the_run_record(settings, reporter):
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    before = {
        p.name: file_sha256(p) for p in settings.published.iterdir() if p.name != "catalog.db"
    }
    second = run_nightly(settings, reporter=reporter)
    after = {p.name: file_sha256(p) for p in settings.published.iterdir() if p.name != "catalog.db"}
    assert after == before
    assert {r.status for r in second.results} == {"unchanged", "skipped"}
    catalog = settings.published / "catalog.db"
    assert rows(catalog, "SELECT count(*) FROM runs") == [(2,)]
    assert rows(catalog, "SELECT max(version) FROM dataset_versions") == [(1,)]


def test_changelog_counts_added_removed_and_changed_rows(settings, reporter):
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    today = [import_row(n) for n in (1, 2, 4, 5, 6)]  # 3 removed, 6 added
    today[1] = import_row(2, 檢驗結果="不合格", 放行日期="")  # 2 changed
    write_inbox(settings.inbox, today)
    outcome = run_nightly(settings, reporter=reporter)
    result = by_name(outcome)["import_inspections"]
    assert result.version == 2
    assert (result.changes.added, result.changes.removed, result.changes.changed) == (1, 1, 1)
    assert rows(settings.published / "catalog.db",
                "SELECT rows_added, rows_removed, rows_changed FROM changelog "
                "WHERE dataset = 'import_inspections' AND version = 2") == [(1, 1, 1)]  # fmt: skip


def test_an_unknown_column_fails_that_dataset_only(settings, reporter):
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    header = MARKET_HEADER + ["身分證字號"]
    outcome = rerun_failing(
        settings,
        reporter,
        "market_inspections",
        lambda: write_csv(
            settings.inbox / "market_inspections_112.csv",
            header,
            [market_row(1) + ["A123456789"]],
            encoding="cp950",
        ),
    )
    message = by_name(outcome)["market_inspections"].message
    assert "market_inspections_112.csv: unknown column(s) '身分證字號'" in message
    assert by_name(outcome)["import_inspections"].status == "unchanged"


@pytest.mark.parametrize(
    ("name", "header", "row", "declared", "written"),
    [
        ("market_inspections_112.csv", MARKET_HEADER, market_row(1), "cp950", "utf-8"),
        ("import_inspections_112.csv", IMPORT_HEADER, import_row(1), "utf-8-sig", "cp950"),
    ],
)
def test_an_export_in_another_encoding_is_reported_as_such_not_as_new_columns(
    settings, reporter, name, header, row, declared, written
):
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    dataset = name.removesuffix("_112.csv")
    outcome = rerun_failing(
        settings,
        reporter,
        dataset,
        lambda: write_csv(settings.inbox / name, header, [row], encoding=written),
    )
    message = by_name(outcome)[dataset].message
    assert f"{name}: the header row is not valid {declared}" in message
    assert "unknown column" not in message
    assert not any("\udc80" <= char <= "\udcff" for char in message)  # no mojibake


def test_an_export_with_a_header_and_no_row_keeps_yesterdays_file(settings, reporter):
    # the branch's export job ran but wrote no record: that is a broken export, not a day
    # on which the market inspections of the whole year disappeared
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    outcome = rerun_failing(
        settings,
        reporter,
        "market_inspections",
        lambda: write_csv(
            settings.inbox / "market_inspections_112.csv", MARKET_HEADER, [], encoding="cp950"
        ),
    )
    assert (
        "market_inspections_112.csv: no data row" in by_name(outcome)["market_inspections"].message
    )


def test_an_export_that_removes_too_many_rows_keeps_yesterdays_file_until_accepted(
    settings, reporter
):
    # a file cut off by a full disk or a killed export job: 5 of 20 rows are missing
    write_inbox(settings.inbox, [import_row(n) for n in range(1, 21)])
    run_nightly(settings, reporter=reporter)
    outcome = rerun_failing(
        settings,
        reporter,
        "import_inspections",
        lambda: write_inbox(settings.inbox, [import_row(n) for n in range(1, 16)]),
    )
    message = by_name(outcome)["import_inspections"].message
    assert "15 rows where the published version has 20: 25% fewer" in message
    assert "kaifang nightly --accept-drop import_inspections" in message

    accepted = run_nightly(settings, reporter=reporter, accept_drop=["import_inspections"])
    assert by_name(accepted)["import_inspections"].status == "published"
    published = settings.published / "import_inspections.db"
    assert rows(published, "SELECT count(*) FROM import_inspections") == [(15,)]


def test_a_drop_within_max_row_drop_is_published(settings, reporter):
    settings = replace(settings, max_row_drop=0.3)
    write_inbox(settings.inbox, [import_row(n) for n in range(1, 21)])
    run_nightly(settings, reporter=reporter)
    write_inbox(settings.inbox, [import_row(n) for n in range(1, 16)])
    result = by_name(run_nightly(settings, reporter=reporter))["import_inspections"]
    assert result.status == "published" and result.changes.removed == 5


def test_accepting_the_drop_of_an_unknown_dataset_is_refused(settings, reporter):
    with pytest.raises(DefinitionError, match="unknown dataset"):
        run_nightly(settings, reporter=reporter, accept_drop=["import_inspection"])


def test_an_empty_inbox_after_a_publish_fails_instead_of_skipping(settings, reporter):
    # the exports' network share did not mount: the inbox is an empty folder
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    outcome = rerun_failing(
        settings,
        reporter,
        "import_inspections",
        lambda: [export.unlink() for export in settings.inbox.iterdir()],
    )
    results = by_name(outcome)
    message = results["import_inspections"].message
    assert "is empty, but import_inspections was published before" in message
    assert results["sampling_dispatch"].status == "skipped"  # never published: nothing lost


def test_a_missing_export_beside_others_is_skipped(settings, reporter):
    write_inbox(settings.inbox)
    run_nightly(settings, reporter=reporter)
    (settings.inbox / "market_inspections_112.csv").unlink()
    outcome = run_nightly(settings, reporter=reporter)
    assert outcome.exit_code == 0
    assert by_name(outcome)["market_inspections"].status == "skipped"


def test_leak_gate_blocks_a_planted_national_id_and_keeps_yesterdays_file(
    custom_settings, datasets_dir, reporter
):
    # an operator mistakenly publishes the free-text 備註 as is
    copy_definition(datasets_dir, "import_inspections",
                    {"deid: scrub, search: true}": "deid: keep, search: true}"})  # fmt: skip
    inbox = custom_settings.inbox
    clean = [import_row(n) for n in range(1, 4)]
    write_csv(inbox / "import_inspections_112.csv", IMPORT_HEADER, clean)
    assert run_nightly(custom_settings, reporter=reporter).exit_code == 0
    published = custom_settings.published / "import_inspections.db"
    yesterday = file_sha256(published)

    clean.append(import_row(4, 備註="報驗義務人代表 A123456789 到場"))
    write_csv(inbox / "import_inspections_112.csv", IMPORT_HEADER, clean)
    outcome = run_nightly(custom_settings, reporter=reporter)
    result = by_name(outcome)["import_inspections"]
    assert outcome.exit_code == 1 and result.status == "failed"
    assert "leak gate" in result.message and "column remarks row 4" in result.message
    assert result.leaks == [{"column": "remarks", "rowid": 4, "type": "national_id",
                             "excerpt": "報驗義務人代表 ⟨national_id⟩ 到場"}]  # fmt: skip
    assert "A123456789" not in json.dumps(result.as_dict(), ensure_ascii=False)
    assert file_sha256(published) == yesterday
    assert not list((custom_settings.internal / "tmp").iterdir())
    # the refused file stays private, for the operator to look the leaking row up
    refused = custom_settings.internal / "refused" / "import_inspections.db"
    assert rows(refused, "SELECT application_no FROM import_inspections WHERE rowid = 4") == [
        ("KL1120000004",)
    ]


PLANTED = {
    "national_id": "身分證 A123456789",
    "phone": "請回電 0912-345-678",
    "email": "寄至 wang.xm@example.com",
    "plate": "車牌 ABC-1235 停放",
    "name": "陳情人王小明先生表示",
    "address": "送至基隆市中正區義一路18號3樓",
}


def test_the_gate_catches_every_kind_of_personal_value_in_a_kept_free_text_column(
    custom_settings, datasets_dir, reporter
):
    copy_definition(datasets_dir, "import_inspections",
                    {"deid: scrub, search: true}": "deid: keep, search: true}"})  # fmt: skip
    planted = [import_row(n, 備註=text) for n, text in enumerate(PLANTED.values(), start=1)]
    write_csv(custom_settings.inbox / "import_inspections_112.csv", IMPORT_HEADER, planted)
    outcome = run_nightly(custom_settings, reporter=reporter)
    result = by_name(outcome)["import_inspections"]
    assert result.status == "failed"
    found = {(leak["rowid"], leak["type"]) for leak in result.leaks}
    for rowid, kind in enumerate(PLANTED, start=1):
        assert (rowid, kind) in found, (kind, result.leaks)
    assert not (custom_settings.published / "import_inspections.db").exists()


def test_the_scrub_rule_lets_the_same_text_through_masked(settings, reporter):
    planted = [import_row(n, 備註=text) for n, text in enumerate(PLANTED.values(), start=1)]
    write_csv(settings.inbox / "import_inspections_112.csv", IMPORT_HEADER, planted)
    outcome = run_nightly(settings, reporter=reporter)
    assert by_name(outcome)["import_inspections"].status == "published"
    remarks = [r[0] for r in rows(settings.published / "import_inspections.db",
                                  "SELECT remarks FROM import_inspections")]  # fmt: skip
    assert remarks[0] == "身分證 〔身分證號〕"
    assert "A123456789" not in " ".join(remarks) and "0912" not in " ".join(remarks)


def test_a_second_run_is_refused_while_one_holds_the_lock(settings, reporter):
    with run_lock(settings.internal / "nightly.lock"), pytest.raises(AlreadyRunning, match="pid"):
        run_nightly(settings, reporter=reporter)


def test_taxi_meter_verifications_lose_drivers_and_rare_combinations(settings, reporter):
    taxis = [taxi_meter_row(n) for n in range(1, 61)]
    rare = taxi_meter_row(61, 器具種類="血壓計", 縣市="連江縣", 鄉鎮市區="南竿鄉", 車牌號碼="",
                          駕駛人姓名="", 駕駛人身分證字號="")  # fmt: skip
    write_csv(settings.inbox / "metrology_verifications_112.csv", METROLOGY_HEADER, [*taxis, rare],
              encoding="utf-8")  # fmt: skip
    outcome = run_nightly(settings, reporter=reporter)
    result = by_name(outcome)["metrology_verifications"]
    assert result.status == "published", result.message
    assert "suppressed 1 of 61 rows" in result.k_anonymity
    db = settings.published / "metrology_verifications.db"
    assert rows(db, "SELECT count(*), min(verified_month) FROM metrology_verifications") == [
        (60, "2023-05")
    ]
    columns = {r[1] for r in rows(db, "PRAGMA table_info(metrology_verifications)")}
    assert not columns & {"plate", "driver_name", "driver_id", "owner", "owner_phone"}
    assert not rows(db, "SELECT 1 FROM metrology_verifications WHERE instrument_type = '血壓計'")
