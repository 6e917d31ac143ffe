"""The yearly service-performance export (`service_performance_YYY.csv`): every figure of the report.

One row per row of the report's tables (shared/reference/seed-figures.md). Counts the
sample generates come from the volumes, so the report agrees with the other exports; the
other counts are scaled the same way; shares and scores are kept as the report states them.
"""

from __future__ import annotations

from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.csvfile import Dirt, write_csv

HEADER = ("年度", "項目", "數值", "單位", "說明")


def figures(ctx: SampleContext) -> list[tuple[str, float, str, str]]:
    """(項目, 數值, 單位, 說明) of the year, in the report's order."""
    v = ctx.volumes

    def scaled(value: int) -> int:
        return round(value * ctx.scale)

    def share(part: int, whole: int) -> float:
        return round(100 * part / whole, 2) if whole else 0.0

    failed_units = v.failed_returned_units + v.failed_reworked_units + v.failed_held_units
    stations_registered = v.gas_stations_registered_state + v.gas_stations_registered_private
    return [
        ("輸入商品報驗批數", v.import_batches, "批", "全年受理輸入商品報驗批數"),
        (
            "線上申辦報驗批數",
            v.import_online,
            "批",
            f"線上申辦比率 {share(v.import_online, v.import_batches)}%，逾99%",
        ),
        ("線上書面審查件數", scaled(50_997), "件", "免抽樣及先行放行批之線上書面審查"),
        ("技術文件線上審查件數", scaled(3_978), "件", "驗證登錄及型式認可技術文件線上審查"),
        ("具結先行放行申請件數", scaled(12_861), "件", "具結先行放行"),
        ("關港貿單一窗口比對批數", scaled(49_407), "批", "與報單比對，含免驗"),
        ("跨分局電子郵件分享案件數", scaled(2_327), "件", "以電子郵件與其他分局分享案件"),
        ("驗證登錄線上繳費件數", scaled(3_248), "件", "驗證登錄申請線上繳費"),
        ("進口輪胎文件審查件數", scaled(2_130), "件", "進口輪胎書面審查"),
        ("檢驗不合格批數", v.failed_batches, "批", f"不合格數量合計 {failed_units} 單位"),
        ("不合格退運或銷毀批數", v.failed_returned, "批", f"數量 {v.failed_returned_units} 單位"),
        (
            "不合格改正後複驗合格批數",
            v.failed_reworked,
            "批",
            f"數量 {v.failed_reworked_units} 單位",
        ),
        ("不合格留置或待處理批數", v.failed_held, "批", f"數量 {v.failed_held_units} 單位"),
        ("保證金額度扣繳比率", 99, "%", "以銀行保證額度扣繳規費之比率，逾99%"),
        ("電子表單修正提案件數", scaled(66), "件", "電子表單修正提案"),
        ("檢驗人員及車輛派遣場次", v.dispatch_rounds, "場次", "每工作日上午、下午各一場次"),
        ("檢驗人員派遣人次", v.dispatch_assignments, "人次", "派遣檢驗人員至貨櫃場取樣"),
        ("公務車派遣車次", v.vehicle_trips, "車次", "每場次節省約65分鐘"),
        (
            "度量衡器到場檢定件數",
            v.onsite_verifications,
            "具",
            "加油機、地秤、槽秤、電子秤、血壓計等",
        ),
        ("計程車計費表檢定車輛數", v.taxi_meters, "輛", "計程車計費表檢定"),
        (
            "宜蘭市計程車到場檢定車輛數",
            v.taxi_meters_outreach,
            "輛",
            "5月31日於宜蘭市辦理到場檢定服務",
        ),
        ("轄區加油站家數", v.gas_stations, "家", f"含新北市{v.gas_stations_new_taipei}家"),
        (
            "優良計量管理制度登錄加油站家數",
            stations_registered,
            "家",
            f"公營{v.gas_stations_registered_state}家、民營{v.gas_stations_registered_private}家，"
            f"登錄率{round(share(stations_registered, v.gas_stations))}%",
        ),
        ("使用秤具之公有市場數", v.markets, "處", "轄區公有市場"),
        (
            "優良計量管理制度登錄市場數",
            v.markets_registered,
            "處",
            f"登錄率{round(share(v.markets_registered, v.markets))}%",
        ),
        ("市場商品查核件數", v.market_inspections, "件", "實體店面及網路平台"),
        ("商品義務監視員人數", scaled(90), "人", "商品義務監視員"),
        ("義務監視員通報處理件數", scaled(94), "件", "義務監視員通報案件"),
        ("意見信箱回復件數", scaled(920), "件", "意見信箱及首長信箱，3日內回復"),
        ("民眾檢舉處理件數", scaled(920), "件", "民眾檢舉案件"),
        (
            "與地方政府聯合稽查場次",
            scaled(6),
            "場次",
            f"查核{scaled(26)}家業者，發現{scaled(11)}件標示不符",
        ),
        ("電話禮貌測試次數", scaled(96), "次", "平均分數逾94分"),
        ("電話禮貌測試平均分數", 94, "分", "平均分數逾94分"),
        ("意見信箱回復期限", 3, "日", "意見信箱案件於3日內回復"),
    ]


def write_performance(ctx: SampleContext) -> WrittenFile:
    rows = [
        [str(ctx.roc_year), item, _number(value), unit, note]
        for item, value, unit, note in figures(ctx)
    ]
    return write_csv(
        ctx.path("service_performance", "csv"),
        HEADER,
        rows,
        records=len(rows),
        encoding="utf-8",
        dirt=Dirt(),
        rng=ctx.rng("performance"),
        roc_year=ctx.roc_year,
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
