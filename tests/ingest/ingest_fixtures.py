"""Small, hand-written exports in the inbox's formats (docs/exports.md), written to real files.

Every builder returns rows as lists in header order so a test can plant dirt or personal data
in one cell and see where it ends up.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import openpyxl

from kaifang.settings import REPO_ROOT

IMPORT_HEADER = [
    "申請書案號", "報驗日期", "申請方式", "報驗義務人", "統一編號", "聯絡人", "聯絡電話", "聯絡地址",
    "報驗行", "貨品名稱", "貨品類別", "CCC碼", "檢驗方式", "數量", "單位", "貨櫃場", "檢驗結果",
    "放行日期", "承辦人", "備註",
]  # fmt: skip
FAILED_HEADER = [
    "申請書案號", "報驗日期", "報驗義務人", "統一編號", "負責人", "貨品名稱", "貨品類別", "CCC碼",
    "不合格數量", "單位", "不合格原因", "處置方式", "處置日期", "備註",
]  # fmt: skip
MARKET_HEADER = [
    "查核編號", "查核日期", "查核類型", "縣市", "鄉鎮市區", "商家名稱", "負責人", "商家地址",
    "商家電話", "網路平台", "商品名稱", "商品類別", "檢驗標識", "查核結果", "處理情形", "查核人員", "備註",
]  # fmt: skip

METROLOGY_HEADER = [
    "檢定編號", "檢定日期", "器具種類", "廠牌", "型號", "器號", "縣市", "鄉鎮市區", "使用地點", "所有人",
    "所有人電話", "所有人地址", "車牌號碼", "駕駛人姓名", "駕駛人身分證字號", "檢定結果", "檢定人員", "備註",
]  # fmt: skip


def import_row(number: int, **changes: str) -> list[str]:
    row = {
        "申請書案號": f"KL112{number:07d}", "報驗日期": f"112/03/{number % 28 + 1:02d}",
        "申請方式": "線上", "報驗義務人": "海港電器股份有限公司", "統一編號": "04595252",
        "聯絡人": "王小明", "聯絡電話": "0912-345-678", "聯絡地址": "202基隆市中正區義一路18號3樓",
        "報驗行": "大興報關行", "貨品名稱": "吹風機", "貨品類別": "電機電子",
        "CCC碼": "8516.31.00.00-4", "檢驗方式": "逐批檢驗", "數量": str(100 + number), "單位": "台",
        "貨櫃場": "東櫃場", "檢驗結果": "合格", "放行日期": f"112/04/{number % 28 + 1:02d}",
        "承辦人": "林大華", "備註": "",
    }  # fmt: skip
    row.update(changes)
    return [row[header] for header in IMPORT_HEADER]


def market_row(number: int, **changes: str) -> list[str]:
    row = {
        "查核編號": f"MS112-{number:05d}", "查核日期": "112/05/02", "查核類型": "實體店面",
        "縣市": "宜蘭縣", "鄉鎮市區": "羅東鎮", "商家名稱": "羅東電器行", "負責人": "陳美麗",
        "商家地址": "宜蘭縣羅東鎮中正路12號", "商家電話": "03 9551234", "網路平台": "",
        "商品名稱": "電熱水瓶", "商品類別": "電機電子", "檢驗標識": "R33012", "查核結果": "符合",
        "處理情形": "無", "查核人員": "張志明", "備註": "",
    }  # fmt: skip
    row.update(changes)
    return [row[header] for header in MARKET_HEADER]


def taxi_meter_row(number: int, **changes: str) -> list[str]:
    row = {
        "檢定編號": f"V112-{number:06d}", "檢定日期": "112/05/31", "器具種類": "計程車計費表",
        "廠牌": "Centrodyne", "型號": "C-900", "器號": f"CD{number:07d}", "縣市": "宜蘭縣",
        "鄉鎮市區": "宜蘭市", "使用地點": "宜蘭市公所廣場", "所有人": "吳建宏", "所有人電話": "0933-222-111",
        "所有人地址": "宜蘭縣宜蘭市中山路二段5號", "車牌號碼": "TDA-1235", "駕駛人姓名": "吳建宏",
        "駕駛人身分證字號": "G120000003", "檢定結果": "合格", "檢定人員": "黃志偉", "備註": "",
    }  # fmt: skip
    row.update(changes)
    return [row[header] for header in METROLOGY_HEADER]


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8-sig",
              tail: str = "") -> Path:  # fmt: skip
    """Write a CRLF CSV as the branch's systems do; ``tail`` is appended raw (e.g. a cut line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        handle.write(tail)
    return path


def write_failed_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "不合格批"
    sheet.append(FAILED_HEADER)
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def failed_row(number: int, disposition: str = "退運或銷毀") -> list[object]:
    return [
        f"KL112{number:07d}",
        "112/03/05",
        "海港電器股份有限公司",
        "04595252",
        "王大同",
        "吹風機",
        "電機電子",
        "8516.31.00.00-4",
        120,
        "台",
        "標示不符",
        disposition,
        "112/04/01",
        "",
    ]


def write_sites_json(path: Path, count: int = 3) -> Path:
    sites = [
        {
            "site_id": f"GS-{n:03d}",
            "site_type": "加油站",
            "name": f"台灣中油第{n}加油站",
            "operator": "台灣中油",
            "operator_type": "公營",
            "county": "基隆市",
            "district": "仁愛區",
            "address": f"基隆市仁愛區愛一路{n}號",
            "registered": n % 2 == 1,
            "registered_on": "2023-02-01" if n % 2 == 1 else None,
            "contact_person": "李志強",
            "contact_phone": "02-2423-1234",
        }  # fmt: skip
        for n in range(1, count + 1)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sites, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def copy_definition(datasets_dir: Path, name: str, replace: dict[str, str] | None = None) -> Path:
    """Copy the real definition ``name`` into ``datasets_dir``, with text replacements."""
    text = (REPO_ROOT / "datasets" / f"{name}.yml").read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, f"{old!r} not in {name}.yml"
        text = text.replace(old, new)
    path = datasets_dir / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


ENGLISH_TEXTS = re.compile(
    r"^description_en: >-\n(?:  .*\n)+|^keywords_en: .*\n|^ +label_en: .*\n|, unit_en: [^,}]+",
    re.MULTILINE,
)


def copy_definition_without_english(datasets_dir: Path, name: str) -> Path:
    """Copy the real definition ``name`` into ``datasets_dir`` without its optional English texts,
    as an operator might write a new one."""
    path = copy_definition(datasets_dir, name)
    path.write_text(ENGLISH_TEXTS.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
