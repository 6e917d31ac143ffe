"""Downloads: CSV in UTF-8, with a byte-order mark for Excel on request; JSON; the whole database."""

from __future__ import annotations

import csv
import io

BOM = b"\xef\xbb\xbf"


def test_csv_is_utf8_and_only_the_excel_link_adds_a_bom(portal):
    _, client = portal
    plain = client.get("/import_inspections/import_inspections.csv?_size=5")
    assert plain.status_code == 200 and not plain.content.startswith(BOM)
    excel = client.get("/import_inspections/import_inspections.csv?_size=5&_bom=1")
    assert excel.content.startswith(BOM)
    assert excel.content[len(BOM) :] == plain.content
    rows = list(csv.DictReader(io.StringIO(excel.content.decode("utf-8-sig"))))
    assert "product_name" in rows[0] and rows[0]["result"] in ("合格", "不合格")


def test_streamed_download_of_every_row_gets_the_bom_once(portal):
    _, client = portal
    response = client.get(
        "/import_inspections/import_inspections.csv?_stream=on&_size=max&_dl=on&_bom=1"
    )
    assert response.content.startswith(BOM) and response.content.count(BOM) == 1
    assert "attachment" in response.headers["content-disposition"]
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 41


def test_json_rows_and_the_sqlite_file_download(portal):
    _, client = portal
    rows = client.get(
        "/metrology_verifications/metrology_verifications.json?_shape=array&_size=max"
    ).json()
    assert len(rows) == 40 and "owner" not in rows[0]
    assert client.get("/metrology_verifications.db").content[:15] == b"SQLite format 3"
