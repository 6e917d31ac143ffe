"""What every export module of a sample year shares: the year, the volumes, the staff, the randomness.

Each export draws from its own `random.Random`, derived from the seed and the export's
name, so changing one export never shifts the content of another.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from kaifang.sample.calendar import YearCalendar
from kaifang.sample.people import plate, staff_roster
from kaifang.sample.rng import SampleRandom
from kaifang.sample.volumes import Volumes


@dataclass(frozen=True)
class WrittenFile:
    """One export written: its path, its records (good rows) and its extra damaged rows."""

    path: Path
    records: int
    dirty_rows: int


@dataclass(frozen=True)
class Staff:
    import_inspectors: list[str]
    metrology_inspectors: list[str]
    market_inspectors: list[str]
    drivers: list[str]
    official_cars: list[str]


@dataclass(frozen=True)
class SampleContext:
    inbox: Path
    roc_year: int
    scale: float
    seed: int
    calendar: YearCalendar = field(init=False)
    volumes: Volumes = field(init=False)
    staff: Staff = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "calendar", YearCalendar(self.roc_year))
        object.__setattr__(self, "volumes", Volumes.at_scale(self.scale))
        rng = self.rng("staff")
        names = staff_roster(rng, 80)
        cars: list[str] = []
        while len(cars) < 8:
            car = plate(rng)
            if car not in cars:
                cars.append(car)
        object.__setattr__(
            self,
            "staff",
            Staff(names[:40], names[40:55], names[55:72], names[72:80], cars),
        )

    def rng(self, purpose: str) -> random.Random:
        """A random generator for one purpose, fixed by the seed."""
        return SampleRandom(f"{self.seed}:{self.roc_year}:{purpose}")

    def path(self, stem: str, suffix: str) -> Path:
        return self.inbox / f"{stem}_{self.roc_year}.{suffix}"
