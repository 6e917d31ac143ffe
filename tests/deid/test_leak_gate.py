"""The leak gate on a real SQLite file: planted personal values are found, clean data passes."""

from __future__ import annotations

import pytest
import sqlite_utils

from ingest.deid.leak_gate import scan_database

PLANTED = {
    "name": "陳情人王小明表示商品冒煙",
    "national_id": "駕駛人A123456789到檢",
    "resident_id": "統一證號A800000014",
    "phone": "請回電0912-345-678",
    "email": "寄到wang.xm@gmail.com",
    "line_id": "LINE ID：wxm0912",
    "bank_account": "退款匯入帳號808-1234567890123",
    "plate": "車牌ABC-1235",
    "address": "基隆市仁愛區愛一路12號3樓",
    "birthdate": "出生日期民國74年3月15日",
}
CLEAN_ROWS = [
    {"application_no": "KL11203150042", "company": "瑞豐電器股份有限公司", "ubn": "04595252",
     "ccc": "8516.31.00.00-4", "model": "KX-1250", "district": "基隆市仁愛區", "qty": 2400,
     "note": "〔姓名〕反映型號KX-1250延長線冒煙，已轉電資產品課，於112年3月15日抽驗合格。"},
    {"application_no": "KL11204020007", "company": "林記五金行", "ubn": "10458570",
     "ccc": "9503.00.99.00-6", "model": "R33445", "district": "暖暖區", "qty": 12,
     "note": "售價新臺幣1,299元，共12件。"},
]  # fmt: skip


@pytest.fixture
def clean_db(tmp_path):
    path = tmp_path / "published.db"
    db = sqlite_utils.Database(path)
    db["import_inspections"].insert_all(CLEAN_ROWS)
    db["import_inspections"].enable_fts(["note", "company"])
    return path, db


def test_clean_database_passes(clean_db):
    path, _ = clean_db
    assert scan_database(path) == []


def test_public_business_names_and_numbers_pass(tmp_path):
    """Catalogue values that once stopped the nightly publication as names and phones."""
    path = tmp_path / "published.db"
    sqlite_utils.Database(path)["businesses"].insert_all(
        [
            {"ubn": "02023107", "shop": "金妤的生活館", "site": "台灣中油金山文化一路站"},
            {"ubn": "02022363", "shop": "龍承的雜貨舖", "site": "台灣中油信義深溪路站"},
            {"ubn": "02020832", "shop": "金穎的嚴選", "site": "全國加油站中正路二段站"},
        ]
    )
    assert scan_database(path) == []


@pytest.mark.parametrize("entity_type", sorted(PLANTED))
def test_a_planted_value_of_each_type_is_caught(clean_db, entity_type):
    path, db = clean_db
    db["import_inspections"].update(2, {"note": PLANTED[entity_type]})
    leaks = scan_database(path)
    assert [(leak.table, leak.column, leak.rowid, leak.type) for leak in leaks] == [
        ("import_inspections", "note", 2, entity_type)
    ]


def test_excerpt_shows_context_but_not_the_value(clean_db):
    path, db = clean_db
    db["import_inspections"].update(1, {"company": "聯絡電話0912-345-678請洽"})
    (leak,) = scan_database(path, tables=["import_inspections"])
    assert leak.excerpt_masked == "聯絡電話⟨phone⟩請洽"
    assert "0912" not in leak.excerpt_masked


def test_catalogue_values_do_not_trip_the_gate(tmp_path):
    # Brands, model numbers, product and company names as the exports carry them.
    path = tmp_path / "catalogue.db"
    sqlite_utils.Database(path)["items"].insert_all(
        [
            {"brand": "歐姆龍", "model": "HEM-7121", "product_name": "童裝 連身衣"},
            {"brand": "喬山", "model": "ABC-1235", "product_name": "喬山家電有限公司"},
            {"brand": "林記", "model": "KX-1250", "product_name": "黃金葛盆栽"},
            {"brand": "金寶家電", "model": "KX-1250", "product_name": "林家電有限公司"},
        ]
    )
    assert scan_database(path) == []


def test_the_column_name_is_context(tmp_path):
    path = tmp_path / "vehicles.db"
    sqlite_utils.Database(path)["dispatch"].insert(
        {"vehicle_plate": "RAB-3021", "model": "RAB-3021"}
    )
    assert [(leak.column, leak.type) for leak in scan_database(path)] == [
        ("vehicle_plate", "plate")
    ]


def test_types_can_be_narrowed(clean_db):
    path, db = clean_db
    db["import_inspections"].update(1, {"note": "王先生來電0912345678"})
    assert [leak.type for leak in scan_database(path, types=["phone"])] == ["phone"]


def test_names_whose_surname_makes_a_word_with_the_next_character_are_caught(clean_db):
    # 黃家 and 王家 are words ("the Huang family"); 家豪 is a given name.
    path, db = clean_db
    db["import_inspections"].update(1, {"note": "申訴人黃家豪表示，夜市買的延長線沒有標章。"})
    db["import_inspections"].update(2, {"note": "我是王家豪，住在附近。"})
    assert [(leak.rowid, leak.type) for leak in scan_database(path)] == [(1, "name"), (2, "name")]
