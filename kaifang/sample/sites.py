"""The good-measurement sites export (`measurement_sites_YYY.json`): gas stations and public markets.

Gas stations are in 基隆市, 宜蘭縣, 連江縣 and (a few under CPC Keelung) 新北市; state-owned
台灣中油 stations are 公營, the others 民營. Registration in the good-measurement scheme
(優良計量管理制度) follows the seed figures exactly. The metrology export verifies the fuel
dispensers and scales of these same sites.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict, dataclass

from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.people import Address, address, person_name, phone
from kaifang.sample.vocab import (
    BRANCH_DISTRICTS,
    MARKETS,
    NEW_TAIPEI_NORTH_COAST,
    PRIVATE_OIL_BRANDS,
    STATE_OIL_COMPANY,
)

GAS_STATION, MARKET = "加油站", "市場"
STATE, PRIVATE = "公營", "民營"


@dataclass(frozen=True)
class Site:
    site_id: str
    site_type: str
    name: str
    operator: str
    operator_type: str
    county: str
    district: str
    address: str
    registered: bool
    registered_on: str | None
    contact_person: str
    contact_phone: str


def build_sites(ctx: SampleContext) -> list[Site]:
    rng = ctx.rng("sites")
    return _gas_stations(ctx, rng) + _markets(ctx, rng)


def _gas_stations(ctx: SampleContext, rng: random.Random) -> list[Site]:
    v = ctx.volumes
    state_total = v.gas_stations_registered_state + v.gas_stations_state_unregistered
    private_total = v.gas_stations - state_total
    owners = [STATE] * state_total + [PRIVATE] * private_total
    registered = (
        [True] * v.gas_stations_registered_state
        + [False] * v.gas_stations_state_unregistered
        + [True] * v.gas_stations_registered_private
        + [False] * (private_total - v.gas_stations_registered_private)
    )
    places = [_new_taipei(rng) for _ in range(v.gas_stations_new_taipei)]
    places += [_branch_place(rng) for _ in range(v.gas_stations - len(places))]
    rng.shuffle(places)
    sites = []
    for number, (owner, is_registered, place) in enumerate(
        zip(owners, registered, places, strict=True), 1
    ):
        road = _road_of(place)
        if owner == STATE:
            operator, name = STATE_OIL_COMPANY, f"台灣中油{place.district[:-1]}{road}站"
        else:
            brand = rng.choice(PRIVATE_OIL_BRANDS)
            operator, name = (
                f"{brand}{rng.choice(('股份有限公司', '有限公司'))}",
                f"{brand}{road}站",
            )
        sites.append(
            Site(
                site_id=f"GS-{number:03d}",
                site_type=GAS_STATION,
                name=name,
                operator=operator,
                operator_type=owner,
                county=place.county,
                district=place.district,
                address=place.text,
                registered=is_registered,
                registered_on=_registered_on(rng, ctx.calendar.year) if is_registered else None,
                contact_person=person_name(rng),
                contact_phone=phone(rng, place.area_code, 0.3),
            )
        )
    return sites


def _markets(ctx: SampleContext, rng: random.Random) -> list[Site]:
    sites = []
    for number in range(1, ctx.volumes.markets + 1):
        county, district, name = MARKETS[(number - 1) % len(MARKETS)]
        if number > len(MARKETS):
            name = f"{name}第{(number - 1) // len(MARKETS) + 1}區"
        place = address(rng, county, district, floors=False)
        is_registered = number <= ctx.volumes.markets_registered
        sites.append(
            Site(
                site_id=f"MK-{number:02d}",
                site_type=MARKET,
                name=name,
                operator=f"{county}{district}公所"
                if county != "基隆市"
                else "基隆市政府產業發展處",
                operator_type=STATE,
                county=county,
                district=district,
                address=place.text,
                registered=is_registered,
                registered_on=_registered_on(rng, ctx.calendar.year) if is_registered else None,
                contact_person=person_name(rng),
                contact_phone=phone(rng, place.area_code, 0.3),
            )
        )
    return sites


def _branch_place(rng: random.Random) -> Address:
    county = rng.choices(tuple(BRANCH_DISTRICTS), (45, 52, 2))[0]
    return address(rng, county, rng.choice(tuple(BRANCH_DISTRICTS[county])), floors=False)


def _new_taipei(rng: random.Random) -> Address:
    district = rng.choice(tuple(NEW_TAIPEI_NORTH_COAST))
    return address(rng, "新北市", district, {"新北市": NEW_TAIPEI_NORTH_COAST}, floors=False)


def _road_of(place: Address) -> str:
    after_district = place.text.split(place.district, 1)[1]
    for end in ("路", "街", "村", "巷"):
        if end in after_district:
            return after_district[: after_district.index(end) + 1]
    return ""


def _registered_on(rng: random.Random, year: int) -> str:
    start = dt.date(year - 12, 1, 1)
    return (
        start + dt.timedelta(days=rng.randrange((dt.date(year, 6, 30) - start).days))
    ).isoformat()


def write_sites(ctx: SampleContext, sites: list[Site]) -> WrittenFile:
    path = ctx.path("measurement_sites", "json")
    with path.open("w", encoding="utf-8") as handle:
        json.dump([asdict(site) for site in sites], handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return WrittenFile(path, len(sites), 0)
