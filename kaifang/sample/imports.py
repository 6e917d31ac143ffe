"""The import inspection export (`import_inspections_YYY.csv`): one row per batch applied for.

Batches are spread over the year by the calendar's seasonality, numbered in date order.
Which batches fail, how they are disposed of and how many units each holds is decided up
front, so the failed-batch export (failed_batches.py) matches the seed figures exactly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from kaifang.sample.calendar import roc_date
from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.csvfile import Dirt, write_csv
from kaifang.sample.people import Firm, firm, person_name, personal_note, phone
from kaifang.sample.vocab import (
    CONTAINER_YARD_CUM_WEIGHTS,
    CONTAINER_YARDS,
    CUSTOMS_BROKERS,
    FAILURE_REASONS,
    PRODUCT_CUM_WEIGHTS,
    PRODUCTS,
    Product,
)
from kaifang.sample.volumes import allocate, split_total

HEADER = (
    "申請書案號", "報驗日期", "申請方式", "報驗義務人", "統一編號", "聯絡人", "聯絡電話", "聯絡地址",
    "報驗行", "貨品名稱", "貨品類別", "CCC碼", "檢驗方式", "數量", "單位", "貨櫃場", "檢驗結果",
    "放行日期", "承辦人", "備註",
)  # fmt: skip
DIRT = Dirt(
    duplicates=3, bad_dates=("13/45", "02/30"), blank_dates=1, blank_keys=1, extra_fields=1,
    truncated_tail=True,
)  # fmt: skip

RETURNED, REWORKED, HELD = "退運或銷毀", "改正後複驗合格", "留置或待處理"
PLAIN_REMARKS = (
    "文件齊備",
    "抽樣送驗",
    "具結先行放行",
    "書面審查通過",
    "併案辦理",
    "免驗比對無誤",
    "補正文件後受理",
)


def application_number(roc_year: int, index: int) -> str:
    return f"KL{roc_year}{index + 1:07d}"


@dataclass(frozen=True)
class Failure:
    disposition: str
    units: int


@dataclass(frozen=True)
class FailedBatch:
    """A failed batch as the failed-batch export shows it."""

    application_no: str
    applied_on: dt.date
    firm: Firm
    product: str
    category: str
    ccc: str
    units: int
    unit: str
    reason: str
    disposition: str
    disposed_on: dt.date | None


@dataclass(frozen=True)
class BatchRef:
    """What the dispatch bulletin needs of a sampled batch."""

    application_no: str
    yard: str
    broker: str


@dataclass(frozen=True)
class ImportYear:
    file: WrittenFile
    failed: list[FailedBatch]
    sampled: dict[int, BatchRef]


def daily_batch_counts(ctx: SampleContext) -> list[tuple[dt.date, int]]:
    days = ctx.calendar.days
    counts = allocate(ctx.volumes.import_batches, [ctx.calendar.import_weight(d) for d in days])
    return list(zip(days, counts, strict=True))


def plan_failures(ctx: SampleContext, rng: random.Random) -> dict[int, Failure]:
    """Which batch indices fail, with their disposition and units (sums exact per disposition)."""
    v = ctx.volumes
    failures: list[Failure] = []
    for disposition, count, units in (
        (RETURNED, v.failed_returned, v.failed_returned_units),
        (REWORKED, v.failed_reworked, v.failed_reworked_units),
        (HELD, v.failed_held, v.failed_held_units),
    ):
        failures += [Failure(disposition, u) for u in split_total(rng, units, count, spread=1.1)]
    rng.shuffle(failures)
    indices = sorted(rng.sample(range(v.import_batches), len(failures)))
    return dict(zip(indices, failures, strict=True))


def write_imports(ctx: SampleContext, sampled_indices: set[int]) -> ImportYear:
    rng = ctx.rng("imports")
    failures = plan_failures(ctx, rng)
    counter_filed = set(
        rng.sample(
            range(ctx.volumes.import_batches),
            ctx.volumes.import_batches - ctx.volumes.import_online,
        )
    )
    firms = [firm(rng) for _ in range(max(20, round(2800 * ctx.scale)))]
    firm_weights = list(itertools.accumulate(1 / (rank + 8) for rank in range(len(firms))))
    broker_weights = list(
        itertools.accumulate(1 / (rank + 2) for rank in range(len(CUSTOMS_BROKERS)))
    )
    failed: list[FailedBatch] = []
    sampled: dict[int, BatchRef] = {}

    def rows() -> Iterator[list[str]]:
        index = 0
        for day, count in daily_batch_counts(ctx):
            for _ in range(count):
                importer = rng.choices(firms, cum_weights=firm_weights)[0]
                product: Product = rng.choices(PRODUCTS, cum_weights=PRODUCT_CUM_WEIGHTS)[0]
                goods = f"{product.name} {rng.choice(product.variants)}"
                scheme = product.schemes[0] if rng.random() < 0.7 else rng.choice(product.schemes)
                failure = failures.get(index)
                units = (
                    failure.units
                    if failure
                    else max(1, round(rng.lognormvariate(0, 0.9) * product.batch_size))
                )
                yard = rng.choices(CONTAINER_YARDS, cum_weights=CONTAINER_YARD_CUM_WEIGHTS)[0]
                broker = rng.choices(CUSTOMS_BROKERS, cum_weights=broker_weights)[0]
                number = application_number(ctx.roc_year, index)
                released = _release_date(rng, day, failure)
                if failure:
                    failed.append(
                        _failed_batch(rng, number, day, importer, product, goods, failure)
                    )
                if index in sampled_indices:
                    sampled[index] = BatchRef(number, yard, broker)
                yield [
                    number,
                    roc_date(day),
                    "臨櫃" if index in counter_filed else "線上",
                    importer.name,
                    importer.ubn,
                    importer.contact,
                    importer.phone,
                    importer.address,
                    broker,
                    goods,
                    product.category,
                    product.ccc,
                    scheme,
                    str(units),
                    product.unit,
                    yard,
                    "不合格" if failure else "合格",
                    roc_date(released) if released else "",
                    rng.choice(ctx.staff.import_inspectors),
                    _remark(rng, importer, failure),
                ]
                index += 1

    written = write_csv(
        ctx.path("import_inspections", "csv"),
        HEADER,
        rows(),
        records=ctx.volumes.import_batches,
        encoding="utf-8-sig",
        dirt=DIRT,
        rng=ctx.rng("imports-dirt"),
        roc_year=ctx.roc_year,
    )
    return ImportYear(written, failed, sampled)


def _release_date(rng: random.Random, day: dt.date, failure: Failure | None) -> dt.date | None:
    if failure is None:
        return _weekday_after(day, rng.choice((0, 0, 1, 1, 1, 2, 3, 5)))
    if failure.disposition == REWORKED:
        return _weekday_after(day, rng.randrange(14, 45))
    return None


def _weekday_after(day: dt.date, days: int) -> dt.date:
    later = day + dt.timedelta(days=days)
    while later.weekday() >= 5:
        later += dt.timedelta(days=1)
    return later


def _remark(rng: random.Random, importer: Firm, failure: Failure | None) -> str:
    area = importer.area_code
    if failure:
        return f"不合格，已通知報驗義務人；{personal_note(rng, importer.contact, area)}"
    draw = rng.random()
    if draw < 0.12:
        return personal_note(rng, importer.contact, area)
    if draw < 0.35:
        return rng.choice(PLAIN_REMARKS)
    return ""


def _failed_batch(
    rng: random.Random,
    number: str,
    day: dt.date,
    importer: Firm,
    product: Product,
    goods: str,
    failure: Failure,
) -> FailedBatch:
    if failure.disposition == HELD:
        disposed_on = None
    else:
        disposed_on = _weekday_after(day, rng.randrange(14, 60))
    return FailedBatch(
        application_no=number,
        applied_on=day,
        firm=importer,
        product=goods,
        category=product.category,
        ccc=product.ccc,
        units=failure.units,
        unit=product.unit,
        reason=rng.choice(FAILURE_REASONS[product.category]),
        disposition=failure.disposition,
        disposed_on=disposed_on,
    )


def failed_remark(rng: random.Random, batch: FailedBatch) -> str:
    """The 備註 of a failed batch: who was told, by phone or in person."""
    who = batch.firm.owner if rng.random() < 0.5 else person_name(rng)
    if batch.disposition == RETURNED:
        return f"負責人{who}已簽收退運通知，聯絡電話{batch.firm.phone}"
    if batch.disposition == REWORKED:
        return f"改正後複驗，聯絡人{batch.firm.contact} {phone(rng, batch.firm.area_code, 0.8)}"
    return f"待報驗義務人提出處理計畫，已電洽{who}"
