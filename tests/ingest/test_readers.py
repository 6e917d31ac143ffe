"""Readers and typed values on real files: Big5, UTF-8 with BOM, XLSX, JSON; ROC dates."""

from __future__ import annotations

import json

import pytest

from ingest import readers
from ingest.definitions import SourceSpec
from ingest.values import ValueProblem, coerce, parse_date
from tests.ingest.ingest_fixtures import (
    IMPORT_HEADER,
    MARKET_HEADER,
    failed_row,
    import_row,
    market_row,
    write_csv,
    write_failed_xlsx,
)


def test_big5_csv_is_decoded(tmp_path):
    path = write_csv(
        tmp_path / "m.csv", MARKET_HEADER, [market_row(1, 商家名稱="羅東電器行")], encoding="cp950"
    )
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")  # really Big5, not UTF-8
    with readers.open_source(path, SourceSpec("m.csv", "csv", encoding="cp950")) as source:
        assert source.headers == MARKET_HEADER
        (row,) = list(source.rows)
    assert row.cells["商家名稱"] == "羅東電器行"
    assert row.cells["縣市"] == "宜蘭縣"
    assert row.line == 2


def test_bytes_outside_the_declared_encoding_make_a_row_problem_not_a_crash(tmp_path):
    path = tmp_path / "m.csv"
    fields = [field.encode("cp950") for field in market_row(1)]
    fields[5] = b"\xff\xfe\xb9\x71"  # 商家名稱 with two bytes that are not Big5
    header = ",".join(MARKET_HEADER).encode("cp950")
    good_line = ",".join(market_row(2)).encode("cp950")
    path.write_bytes(b"\r\n".join([header, good_line, b",".join(fields), b""]))
    with readers.open_source(path, SourceSpec("m.csv", "csv", encoding="cp950")) as source:
        good, bad = list(source.rows)
    assert good.problem is None
    assert bad.problem == "undecodable bytes in 商家名稱: not valid cp950"


def test_utf8_bom_and_field_count_problems(tmp_path):
    path = write_csv(tmp_path / "i.csv", IMPORT_HEADER, [import_row(1), import_row(2)[:5]],
                     tail="KL1120000099,112/03/01")  # fmt: skip
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with readers.open_source(path, SourceSpec("i.csv", "csv", encoding="utf-8-sig")) as source:
        assert source.headers[0] == "申請書案號"
        rows = list(source.rows)
    assert [row.problem is None for row in rows] == [True, False, False]
    assert rows[1].problem.startswith("expected 20 fields, found 5")
    assert rows[2].line == 4


def test_xlsx_rows_are_streamed_with_sheet_row_numbers(tmp_path):
    path = write_failed_xlsx(tmp_path / "f.xlsx", [failed_row(1), failed_row(2, "留置或待處理")])
    with readers.open_source(path, SourceSpec("f.xlsx", "xlsx", sheet="不合格批")) as source:
        rows = list(source.rows)
    assert [row.line for row in rows] == [2, 3]
    assert rows[1].cells["處置方式"] == "留置或待處理"
    assert rows[0].cells["不合格數量"] == 120


def test_missing_sheet_is_a_file_error(tmp_path):
    path = write_failed_xlsx(tmp_path / "f.xlsx", [failed_row(1)])
    with (
        pytest.raises(readers.SourceError, match="no sheet '工作表1'"),
        readers.open_source(path, SourceSpec("f.xlsx", "xlsx", sheet="工作表1")),
    ):
        pass


def test_json_array_is_streamed_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_JSON_CHUNK", 7)
    records = [
        {"site_id": f"GS-{n:03d}", "name": "加油站" * n, "n": n * 1000} for n in range(1, 30)
    ]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with readers.open_source(path, SourceSpec("s.json", "json")) as source:
        assert [row.cells for row in source.rows] == records


def test_truncated_json_is_a_file_error(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('[{"site_id": "GS-001"}, {"site_id": "GS-0', encoding="utf-8")
    with (
        pytest.raises(readers.SourceError, match="invalid JSON|not closed"),
        readers.open_source(path, SourceSpec("s.json", "json")) as source,
    ):
        list(source.rows)


@pytest.mark.parametrize(
    "written", ["112/03/15", "112-3-15", "1120315", "民國112年3月15日", "2023-03-15", "20230315"]
)
def test_roc_and_iso_dates_become_iso(written):
    assert coerce(written, "date") == "2023-03-15"


@pytest.mark.parametrize("written", ["112/13/45", "112/02/30", "112/00/12", "next week"])
def test_impossible_dates_are_problems(written):
    with pytest.raises(ValueProblem):
        parse_date(written)


def test_iso_only_sources_refuse_roc_dates():
    with pytest.raises(ValueProblem, match="ROC date"):
        coerce("112/03/15", "date", allow_roc=False)
