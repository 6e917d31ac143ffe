"""The metrology export (`metrology_verifications_YYY.csv`): on-site verifications and taxi meters.

On-site work (fuel dispensers at the gas stations of sites.py, market scales, weighbridges,
blood-pressure meters, gas meters) is spread over the working days; taxi meters too, except
the outreach day in 宜蘭市 (the last working day on or before May 31), which verifies its
own share on one site. Taxi rows carry the driver's name, national ID and plate.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from kaifang.sample.calendar import roc_date
from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.csvfile import Dirt, write_csv
from kaifang.sample.people import (
    COUNTY_ID_LETTERS,
    Address,
    address,
    branch_address,
    mobile,
    national_id,
    person_name,
    phone,
    plate,
)
from kaifang.sample.sites import GAS_STATION, MARKET, Site
from kaifang.sample.vocab import (
    CONTAINER_YARDS,
    METROLOGY_CUM_WEIGHTS,
    METROLOGY_INSTRUMENTS,
    TAXI_FLEETS,
    TAXI_METER_BRANDS,
)
from kaifang.sample.volumes import allocate

HEADER = (
    "檢定編號", "檢定日期", "器具種類", "廠牌", "型號", "器號", "縣市", "鄉鎮市區", "使用地點", "所有人",
    "所有人電話", "所有人地址", "車牌號碼", "駕駛人姓名", "駕駛人身分證字號", "檢定結果", "檢定人員", "備註",
)  # fmt: skip
DIRT = Dirt(duplicates=2, bad_dates=("04/31",), blank_keys=1)
TAXI_METER = "計程車計費表"
OUTREACH_SITE = "宜蘭市到場檢定服務（宜蘭縣政府前廣場）"
TAXI_STATIONS = {
    "基隆市": "基隆分局計程車計費表檢定站",
    "宜蘭縣": "蘇澳辦事處檢定站",
    "連江縣": "馬祖辦事處檢定站",
}
PLAIN_REMARKS = ("封印完整", "加封鉛封", "誤差在公差內", "複檢合格", "更換主機板後檢定")


def outreach_day(ctx: SampleContext) -> dt.date:
    return ctx.calendar.last_working_day_on_or_before(dt.date(ctx.calendar.year, 5, 31))


def write_metrology(ctx: SampleContext, sites: list[Site]) -> WrittenFile:
    rng = ctx.rng("metrology")
    v = ctx.volumes
    working = ctx.calendar.working_days
    special = outreach_day(ctx)
    onsite = allocate(v.onsite_verifications, [1.0] * len(working))
    taxis = allocate(
        v.taxi_meters - v.taxi_meters_outreach, [1.0 if d != special else 0.0 for d in working]
    )
    stations = [s for s in sites if s.site_type == GAS_STATION]
    markets = [s for s in sites if s.site_type == MARKET]
    serial = iter(range(1, v.onsite_verifications + v.taxi_meters + 1))

    def rows() -> Iterator[list[str]]:
        for day, n_onsite, n_taxis in zip(working, onsite, taxis, strict=True):
            inspector = rng.choice(ctx.staff.metrology_inspectors)
            for _ in range(n_onsite):
                yield _onsite_row(ctx, rng, next(serial), day, stations, markets)
            for _ in range(n_taxis):
                yield _taxi_row(ctx, rng, next(serial), day, inspector, outreach=False)
            if day == special:
                for _ in range(v.taxi_meters_outreach):
                    yield _taxi_row(ctx, rng, next(serial), day, inspector, outreach=True)

    return write_csv(
        ctx.path("metrology_verifications", "csv"),
        HEADER,
        rows(),
        records=v.onsite_verifications + v.taxi_meters,
        encoding="utf-8",
        dirt=DIRT,
        rng=ctx.rng("metrology-dirt"),
        roc_year=ctx.roc_year,
    )


def _number(ctx: SampleContext, serial: int) -> str:
    return f"V{ctx.roc_year}-{serial:06d}"


def _result(rng: random.Random) -> str:
    return "合格" if rng.random() < 0.965 else "不合格"


def _onsite_row(
    ctx: SampleContext,
    rng: random.Random,
    serial: int,
    day: dt.date,
    stations: list[Site],
    markets: list[Site],
) -> list[str]:
    instrument = rng.choices(METROLOGY_INSTRUMENTS, cum_weights=METROLOGY_CUM_WEIGHTS)[0]
    kind, brands, models, _, place_kind = instrument
    if place_kind == "station" and stations:
        site = rng.choice(stations)
        county, district, place, owner = site.county, site.district, site.name, site.operator
        owner_phone, owner_address = site.contact_phone, site.address
    elif place_kind == "market" and markets:
        site = rng.choice(markets)
        county, district = site.county, site.district
        place, owner = f"{site.name}第{rng.randrange(1, 120)}號攤", person_name(rng)
        owner_phone, owner_address = mobile(rng), branch_address(rng).text
    else:
        where = branch_address(rng)
        county, district = where.county, where.district
        place, owner = _place_name(rng, place_kind, where, person_name(rng))
        owner_phone, owner_address = phone(rng, where.area_code), where.text
    remark = ""
    if rng.random() < 0.06:
        remark = f"所有人{owner}不在場，由{person_name(rng)}（{mobile(rng)}）會同檢定"
    elif rng.random() < 0.2:
        remark = rng.choice(PLAIN_REMARKS)
    return [
        _number(ctx, serial), roc_date(day), kind, rng.choice(brands), rng.choice(models),
        f"{rng.choice('ABCDEFGH')}{rng.randrange(10**7):07d}", county, district, place, owner,
        owner_phone, owner_address, "", "", "", _result(rng), rng.choice(ctx.staff.metrology_inspectors), remark,
    ]  # fmt: skip


def _place_name(rng: random.Random, place_kind: str, where: Address, owner: str) -> tuple[str, str]:
    """The 使用地點 and 所有人 of an instrument outside gas stations and markets."""
    if place_kind == "clinic":
        return f"{owner[0]}{rng.choice(('診所', '藥局', '內科診所'))}", owner
    if place_kind == "yard":
        return rng.choice(CONTAINER_YARDS + ("八堵砂石場", "蘇澳港散雜貨碼頭")), rng.choice(
            ("台灣港務股份有限公司", owner)
        )
    return where.text, owner  # household gas meters: the home itself


def _taxi_row(
    ctx: SampleContext,
    rng: random.Random,
    serial: int,
    day: dt.date,
    inspector: str,
    *,
    outreach: bool,
) -> list[str]:
    if outreach:
        where = address(rng, "宜蘭縣", "宜蘭市")
        place = OUTREACH_SITE
    else:
        where = branch_address(rng, (0.68, 0.31, 0.01))
        place = TAXI_STATIONS[where.county]
    driver = person_name(rng)
    driver_id = national_id(rng, COUNTY_ID_LETTERS[where.county] if rng.random() < 0.8 else None)
    owner = driver if rng.random() < 0.6 else rng.choice(TAXI_FLEETS)
    brand, model = rng.choice(TAXI_METER_BRANDS)
    remark = ""
    if rng.random() < 0.05:
        remark = f"駕駛{driver}（{driver_id}）聯絡電話{mobile(rng)}，預約複檢"
    elif rng.random() < 0.1:
        remark = rng.choice(("更換輪胎後重新檢定", "新車初檢", "計費表換裝", "封印完整"))
    return [
        _number(ctx, serial), roc_date(day), TAXI_METER, brand, model, f"TX{rng.randrange(10**6):06d}",
        where.county, where.district, place, owner, mobile(rng), where.text, plate(rng, taxi=True), driver,
        driver_id, _result(rng), inspector, remark,
    ]  # fmt: skip
