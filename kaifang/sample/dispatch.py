"""The sampling dispatch export (`sampling_dispatch_YYY.csv`): inspectors and cars sent to the yards.

Two rounds a working day (上午, 下午) at scale 1; each round sends several official cars
(vehicle trips), each carrying inspectors to container yards to sample batches applied for
that day. The plan is drawn before the import export is written, so that the import
generator can hand back the yard and customs broker of every sampled batch.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from kaifang.sample.calendar import roc_date
from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.csvfile import Dirt, write_csv
from kaifang.sample.imports import BatchRef
from kaifang.sample.volumes import allocate

HEADER = (
    "派遣日期",
    "時段",
    "派遣序號",
    "貨櫃場",
    "檢驗人員",
    "報驗行",
    "申請書案號",
    "公務車車號",
    "駕駛",
)
DIRT = Dirt(duplicates=1)
SLOTS = ("上午", "下午")


@dataclass(frozen=True)
class Trip:
    car: str
    driver: str
    batches: list[int]  # indices of the sampled import batches


@dataclass(frozen=True)
class Round:
    serial: int
    day: dt.date
    slot: str
    trips: list[Trip]


def plan_dispatch(ctx: SampleContext, daily_batches: list[tuple[dt.date, int]]) -> list[Round]:
    """Rounds, trips and the import batches each trip samples; totals equal the volumes."""
    rng = ctx.rng("dispatch")
    v = ctx.volumes
    cars = ctx.staff.official_cars
    drivers = dict(zip(cars, ctx.staff.drivers, strict=True))
    working = ctx.calendar.working_days
    per_day = allocate(v.dispatch_rounds, [1.0] * len(working))
    trips_per_round = allocate(
        v.vehicle_trips, [rng.uniform(0.6, 1.4) for _ in range(v.dispatch_rounds)], cap=len(cars)
    )
    extra = allocate(
        v.dispatch_assignments - v.vehicle_trips,
        [rng.uniform(0.5, 1.5) for _ in range(v.vehicle_trips)],
    )
    ranges = _batch_ranges(daily_batches)
    total_batches = sum(count for _, count in daily_batches)
    rounds: list[Round] = []
    trip_index = 0
    for day, count in zip(working, per_day, strict=True):
        start, end = ranges[day]
        for slot_index in range(count):
            serial = len(rounds) + 1
            n_trips = trips_per_round[serial - 1]
            sizes = [1 + extra[trip_index + t] for t in range(n_trips)]
            trip_index += n_trips
            batches = _distinct_draws(rng, range(start, end), range(total_batches), sum(sizes))
            trips = []
            for car, size in zip(rng.sample(cars, n_trips), sizes, strict=True):
                trips.append(Trip(car, drivers[car], batches[:size]))
                batches = batches[size:]
            rounds.append(Round(serial, day, SLOTS[slot_index % 2], trips))
    return rounds


def _distinct_draws(rng: random.Random, day: range, year: range, count: int) -> list[int]:
    """`count` distinct batch indices of the day, or of the year when the day has too few."""
    pool = day if len(day) >= count else year
    if len(pool) >= count:
        return rng.sample(pool, count)
    return rng.choices(pool, k=count)  # a tiny sample: fewer batches than assignments


def _batch_ranges(daily_batches: list[tuple[dt.date, int]]) -> dict[dt.date, tuple[int, int]]:
    ranges, start = {}, 0
    for day, count in daily_batches:
        ranges[day] = (start, start + count)
        start += count
    return ranges


def sampled_indices(rounds: list[Round]) -> set[int]:
    return {index for r in rounds for trip in r.trips for index in trip.batches}


def write_dispatch(
    ctx: SampleContext, rounds: list[Round], refs: dict[int, BatchRef]
) -> WrittenFile:
    rng = ctx.rng("dispatch-inspectors")

    def rows() -> Iterator[list[str]]:
        for r in rounds:
            for trip in r.trips:
                for index in trip.batches:
                    batch = refs[index]
                    yield [
                        roc_date(r.day),
                        r.slot,
                        str(r.serial),
                        batch.yard,
                        rng.choice(ctx.staff.import_inspectors),
                        batch.broker,
                        batch.application_no,
                        trip.car,
                        trip.driver,
                    ]

    return write_csv(
        ctx.path("sampling_dispatch", "csv"),
        HEADER,
        rows(),
        records=ctx.volumes.dispatch_assignments,
        encoding="utf-8",
        dirt=DIRT,
        rng=ctx.rng("dispatch-dirt"),
        roc_year=ctx.roc_year,
    )
