"""At scale 1.0 the sample year reproduces the branch's own figures exactly (seed-figures.md)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from openpyxl import load_workbook

from kaifang.sample.calendar import YearCalendar, roc_date


@pytest.fixture(scope="module")
def imports(full_year, read_good_rows) -> dict[str, dict[str, str]]:
    rows = read_good_rows(full_year / "import_inspections_112.csv", "utf-8-sig", "報驗日期")
    return {r["申請書案號"]: r for r in rows}


def test_import_batches_and_online_share(imports):
    rows = list(imports.values())
    assert len(rows) == 49_633
    assert len({r["申請書案號"] for r in rows}) == 49_633
    assert Counter(r["申請方式"] for r in rows)["線上"] == 49_627
    assert Counter(r["檢驗結果"] for r in rows)["不合格"] == 278


def test_fewer_batches_after_lunar_new_year_and_more_towards_year_end(imports):
    per_day = Counter(r["報驗日期"] for r in imports.values())
    calendar = YearCalendar(112)

    def mean(first: str, last: str) -> float:
        days = [d for d in calendar.working_days if first <= d.isoformat() <= last]
        return sum(per_day[roc_date(d)] for d in days) / len(days)

    after_new_year = mean("2023-01-28", "2023-02-04")
    spring = mean("2023-03-01", "2023-04-30")
    year_end = mean("2023-11-01", "2023-12-31")
    assert after_new_year < 0.7 * spring
    assert year_end > 1.08 * spring
    days_off = [d for d in calendar.days if d not in calendar.working_day_set]
    assert 0 < sum(per_day[roc_date(d)] for d in days_off) < 0.02 * len(imports)  # online only


def test_failed_batches_match_the_import_file_and_the_disposition_sums(full_year, imports):
    sheet = load_workbook(full_year / "failed_batches_112.xlsx", read_only=True)["不合格批"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    failed = [dict(zip(header, row, strict=True)) for row in rows]
    assert len(failed) == 278
    units: Counter[str] = Counter()
    batches: Counter[str] = Counter()
    for batch in failed:
        source = imports[batch["申請書案號"]]
        assert source["檢驗結果"] == "不合格"
        assert int(source["數量"]) == batch["不合格數量"]
        for column in ("報驗日期", "報驗義務人", "統一編號", "貨品名稱", "CCC碼", "單位"):
            assert source[column] == batch[column]
        batches[batch["處置方式"]] += 1
        units[batch["處置方式"]] += batch["不合格數量"]
        assert bool(source["放行日期"]) == (batch["處置方式"] == "改正後複驗合格")
    assert batches == {"退運或銷毀": 81, "改正後複驗合格": 89, "留置或待處理": 108}
    assert units == {"退運或銷毀": 362_519, "改正後複驗合格": 295_335, "留置或待處理": 434_279}
    assert sum(units.values()) == 1_092_133


def test_metrology_and_the_taxi_outreach_day(full_year, read_good_rows):
    rows = read_good_rows(full_year / "metrology_verifications_112.csv", "utf-8", "檢定日期")
    taxis = [r for r in rows if r["器具種類"] == "計程車計費表"]
    assert len(rows) - len(taxis) == 19_168
    assert len(taxis) == 8_037
    outreach = [r for r in taxis if r["檢定日期"] == "112/05/31"]
    assert len(outreach) == 94
    assert {(r["縣市"], r["鄉鎮市區"]) for r in outreach} == {("宜蘭縣", "宜蘭市")}
    assert all("到場檢定" in r["使用地點"] for r in outreach)


def test_market_inspections(full_year, read_good_rows):
    rows = read_good_rows(full_year / "market_inspections_112.csv", "cp950", "查核日期")
    assert len(rows) == 10_634
    assert {r["縣市"] for r in rows} == {"基隆市", "宜蘭縣", "連江縣"}


def test_dispatch_rounds_assignments_and_vehicle_trips(full_year, imports, read_good_rows):
    rows = read_good_rows(full_year / "sampling_dispatch_112.csv", "utf-8", "派遣日期")
    assert len(rows) == 4_664
    rounds = {(r["派遣日期"], r["時段"], r["派遣序號"]) for r in rows}
    assert len(rounds) == 494
    assert len({r["派遣序號"] for r in rows}) == 494
    assert len({(r["派遣序號"], r["公務車車號"]) for r in rows}) == 2_213
    days = Counter(day for day, _, _ in rounds)
    assert len(days) == len(YearCalendar(112).working_days) == 247
    assert set(days.values()) == {2}
    for row in rows:
        batch = imports[row["申請書案號"]]
        assert (batch["貨櫃場"], batch["報驗行"], batch["報驗日期"]) == (
            row["貨櫃場"],
            row["報驗行"],
            row["派遣日期"],
        )


def test_gas_stations_and_markets_with_registration(full_year):
    sites = json.loads((full_year / "measurement_sites_112.json").read_text(encoding="utf-8"))
    stations = [s for s in sites if s["site_type"] == "加油站"]
    markets = [s for s in sites if s["site_type"] == "市場"]
    assert len(stations) == 104
    assert sum(s["county"] == "新北市" for s in stations) == 7
    registered = Counter(s["operator_type"] for s in stations if s["registered"])
    assert registered == {"公營": 45, "民營": 44}
    assert all(s["registered_on"] for s in stations if s["registered"])
    assert all(s["registered_on"] is None for s in sites if not s["registered"])
    assert len(markets) == 21
    assert sum(m["registered"] for m in markets) == 20
    assert len({s["site_id"] for s in sites}) == len(sites)


def test_service_performance_carries_every_figure_of_the_report(full_year, read_good_rows):
    rows = read_good_rows(full_year / "service_performance_112.csv", "utf-8")
    values = {r["項目"]: r["數值"] for r in rows}
    expected = {
        "輸入商品報驗批數": "49633", "線上申辦報驗批數": "49627", "線上書面審查件數": "50997",
        "技術文件線上審查件數": "3978", "具結先行放行申請件數": "12861",
        "關港貿單一窗口比對批數": "49407", "跨分局電子郵件分享案件數": "2327",
        "驗證登錄線上繳費件數": "3248", "進口輪胎文件審查件數": "2130", "檢驗不合格批數": "278",
        "不合格退運或銷毀批數": "81", "不合格改正後複驗合格批數": "89",
        "不合格留置或待處理批數": "108", "電子表單修正提案件數": "66",
        "檢驗人員及車輛派遣場次": "494", "檢驗人員派遣人次": "4664", "公務車派遣車次": "2213",
        "度量衡器到場檢定件數": "19168", "計程車計費表檢定車輛數": "8037",
        "宜蘭市計程車到場檢定車輛數": "94", "轄區加油站家數": "104",
        "優良計量管理制度登錄加油站家數": "89", "使用秤具之公有市場數": "21",
        "優良計量管理制度登錄市場數": "20", "市場商品查核件數": "10634",
        "商品義務監視員人數": "90", "義務監視員通報處理件數": "94", "意見信箱回復件數": "920",
        "民眾檢舉處理件數": "920", "與地方政府聯合稽查場次": "6", "電話禮貌測試次數": "96",
    }  # fmt: skip
    assert {item: values.get(item) for item in expected} == expected
    assert all(r["年度"] == "112" for r in rows)
