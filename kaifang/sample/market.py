"""The market surveillance export (`market_inspections_YYY.csv`, Big5): shops and online sellers checked.

Written in cp950 like the surveillance system's own export; a character outside Big5 is a
bug of the sample and fails loudly instead of being replaced.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from kaifang.sample.calendar import roc_date
from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.csvfile import Dirt, write_csv
from kaifang.sample.people import branch_address, mobile, national_id, person_name, phone
from kaifang.sample.vocab import (
    FIRM_PREFIXES,
    MARK_PREFIXES,
    ONLINE_PLATFORMS,
    PRODUCT_CUM_WEIGHTS,
    PRODUCTS,
    SHOP_KINDS,
)
from kaifang.sample.volumes import allocate

HEADER = (
    "查核編號", "查核日期", "查核類型", "縣市", "鄉鎮市區", "商家名稱", "負責人", "商家地址", "商家電話",
    "網路平台", "商品名稱", "商品類別", "檢驗標識", "查核結果", "處理情形", "查核人員", "備註",
)  # fmt: skip
DIRT = Dirt(duplicates=2, bad_dates=("00/12",), blank_keys=1)
ENCODING = "cp950"
SHOP, ONLINE = "實體店面", "網路平台"
ONLINE_SHOP_WORDS = ("生活館", "小舖", "嚴選", "精品屋", "雜貨舖", "好物社", "批發")


def write_market_inspections(ctx: SampleContext) -> WrittenFile:
    rng = ctx.rng("market")
    working = ctx.calendar.working_days
    per_day = allocate(ctx.volumes.market_inspections, [_weight(d) for d in working])

    def rows() -> Iterator[list[str]]:
        serial = 0
        for day, count in zip(working, per_day, strict=True):
            for _ in range(count):
                serial += 1
                yield _row(ctx, rng, serial, day)

    return write_csv(
        ctx.path("market_inspections", "csv"),
        HEADER,
        rows(),
        records=ctx.volumes.market_inspections,
        encoding=ENCODING,
        dirt=DIRT,
        rng=ctx.rng("market-dirt"),
        roc_year=ctx.roc_year,
    )


def _weight(day: dt.date) -> float:
    """More checks in the run-up to the holidays and in the summer toy and appliance season."""
    return 1.3 if day.month in (1, 7, 8, 12) else 1.0


def _row(ctx: SampleContext, rng: random.Random, serial: int, day: dt.date) -> list[str]:
    where = branch_address(rng)
    owner = person_name(rng)
    online = rng.random() < 0.3
    if online:
        kind, platform = ONLINE, rng.choice(ONLINE_PLATFORMS)
        shop = (
            f"{owner[1:]}的{rng.choice(ONLINE_SHOP_WORDS)}"
            if rng.random() < 0.4
            else rng.choice(FIRM_PREFIXES) + rng.choice(ONLINE_SHOP_WORDS)
        )
        shop_phone = mobile(rng)
    else:
        kind, platform = SHOP, ""
        shop = (
            f"{owner[0]}記{rng.choice(SHOP_KINDS)}"
            if rng.random() < 0.4
            else rng.choice(FIRM_PREFIXES) + rng.choice(SHOP_KINDS)
        )
        shop_phone = phone(rng, where.area_code, 0.35)
    product = rng.choices(PRODUCTS, cum_weights=PRODUCT_CUM_WEIGHTS)[0]
    marked = rng.random() < 0.9
    mark = f"{rng.choice(MARK_PREFIXES)}{rng.randrange(10000, 99999)}" if marked else "無標識"
    compliant = marked and rng.random() < 0.96
    if compliant:
        outcome, action = "符合", "無"
    else:
        outcome = "不符合"
        action = (
            rng.choice(("限期改正", "下架回收", "移送處分"))
            if marked
            else rng.choice(("下架回收", "移送處分"))
        )
    return [
        f"MS{ctx.roc_year}-{serial:05d}", roc_date(day), kind, where.county, where.district, shop, owner,
        where.text, shop_phone, platform, f"{product.name} {rng.choice(product.variants)}", product.category,
        mark, outcome, action, rng.choice(ctx.staff.market_inspectors), _remark(rng, owner, where.area_code, compliant),
    ]  # fmt: skip


def _remark(rng: random.Random, owner: str, area: str, compliant: bool) -> str:
    draw = rng.random()
    if not compliant and draw < 0.5:
        return rng.choice(
            (
                f"負責人{owner}不在，由店員{person_name(rng)}簽收查核紀錄",
                f"已通知賣家{owner} {mobile(rng)} 下架",
                f"負責人{owner}（{national_id(rng)}）到案說明，電話{phone(rng, area)}",
            )
        )
    if draw < 0.08:
        return (
            f"{owner[0]}{rng.choice(('先生', '小姐', '太太'))}配合查核，聯絡電話{phone(rng, area)}"
        )
    if draw < 0.25:
        return rng.choice(
            ("商品標示完整", "抽樣購買送驗", "民眾檢舉案", "聯合稽查", "義務監視員通報")
        )
    return ""
