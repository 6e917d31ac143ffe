"""How many records of each kind a sample year holds, and how totals are split exactly.

The figures are the branch's own for ROC year 112 (shared/reference/seed-figures.md);
`Volumes.at_scale` multiplies every count and rounds. `allocate` and `split_total` turn a
total into parts that add up to it exactly, so the sample reproduces the report's sums.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, fields

SEED_FIGURES = {
    "import_batches": 49_633,
    "import_online": 49_627,
    "failed_returned": 81,
    "failed_returned_units": 362_519,
    "failed_reworked": 89,
    "failed_reworked_units": 295_335,
    "failed_held": 108,
    "failed_held_units": 434_279,
    "onsite_verifications": 19_168,
    "taxi_meters": 8_037,
    "taxi_meters_outreach": 94,
    "market_inspections": 10_634,
    "dispatch_rounds": 494,
    "dispatch_assignments": 4_664,
    "vehicle_trips": 2_213,
    "gas_stations": 104,
    "gas_stations_new_taipei": 7,
    "gas_stations_registered_state": 45,
    "gas_stations_registered_private": 44,
    "gas_stations_state_unregistered": 5,
    "markets": 21,
    "markets_registered": 20,
}


@dataclass(frozen=True)
class Volumes:
    import_batches: int
    import_online: int
    failed_returned: int
    failed_returned_units: int
    failed_reworked: int
    failed_reworked_units: int
    failed_held: int
    failed_held_units: int
    onsite_verifications: int
    taxi_meters: int
    taxi_meters_outreach: int
    market_inspections: int
    dispatch_rounds: int
    dispatch_assignments: int
    vehicle_trips: int
    gas_stations: int
    gas_stations_new_taipei: int
    gas_stations_registered_state: int
    gas_stations_registered_private: int
    gas_stations_state_unregistered: int
    markets: int
    markets_registered: int

    @classmethod
    def at_scale(cls, scale: float) -> Volumes:
        if scale <= 0:
            raise ValueError(f"scale must be positive, got {scale}")
        counts = {name: round(value * scale) for name, value in SEED_FIGURES.items()}
        return cls(**counts)._consistent()

    @property
    def failed_batches(self) -> int:
        return self.failed_returned + self.failed_reworked + self.failed_held

    def _consistent(self) -> Volumes:
        """Clamp rounded parts so that no part exceeds its whole at odd scales."""
        v = {f.name: getattr(self, f.name) for f in fields(self)}
        v["import_online"] = min(v["import_online"], v["import_batches"])
        failed = v["failed_returned"] + v["failed_reworked"] + v["failed_held"]
        if failed > v["import_batches"]:
            v["failed_returned"] = v["failed_reworked"] = v["failed_held"] = 0
        for kind in ("returned", "reworked", "held"):
            units = f"failed_{kind}_units"
            v[units] = max(v[units], v[f"failed_{kind}"])
        v["taxi_meters_outreach"] = min(v["taxi_meters_outreach"], v["taxi_meters"])
        v["vehicle_trips"] = max(v["vehicle_trips"], v["dispatch_rounds"])
        v["dispatch_assignments"] = max(v["dispatch_assignments"], v["vehicle_trips"])
        if v["dispatch_rounds"] == 0:
            v["vehicle_trips"] = v["dispatch_assignments"] = 0
        v["gas_stations_new_taipei"] = min(v["gas_stations_new_taipei"], v["gas_stations"])
        registered = v["gas_stations_registered_state"] + v["gas_stations_registered_private"]
        if registered > v["gas_stations"]:
            v["gas_stations_registered_private"] = (
                v["gas_stations"] - v["gas_stations_registered_state"]
            )
        v["gas_stations_state_unregistered"] = min(
            v["gas_stations_state_unregistered"], v["gas_stations"] - registered
        )
        v["markets_registered"] = min(v["markets_registered"], v["markets"])
        return Volumes(**v)


def allocate(total: int, weights: Sequence[float], *, cap: int | None = None) -> list[int]:
    """Split `total` into integer parts proportional to `weights` (largest remainder).

    With `cap`, no part exceeds it (the overflow goes to the next largest remainders).
    """
    if total == 0 or not weights:
        return [0] * len(weights)
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    if cap is not None:
        parts = [min(p, cap) for p in parts]
    order = sorted(
        range(len(weights)), key=lambda i: (exact[i] - parts[i], weights[i]), reverse=True
    )
    missing = total - sum(parts)
    while missing > 0:
        progressed = False
        for i in order:
            if missing == 0:
                break
            if cap is None or parts[i] < cap:
                parts[i] += 1
                missing -= 1
                progressed = True
        if not progressed:
            raise ValueError(f"cannot place {total} in {len(weights)} parts of at most {cap}")
    return parts


def split_total(rng: random.Random, total: int, parts: int, *, spread: float = 1.0) -> list[int]:
    """`parts` positive integers summing to `total`, skewed like real batch sizes."""
    if parts == 0:
        return []
    if total < parts:
        raise ValueError(f"cannot split {total} into {parts} positive parts")
    weights = [rng.lognormvariate(0, spread) for _ in range(parts)]
    return [1 + extra for extra in allocate(total - parts, weights)]
