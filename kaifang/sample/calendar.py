"""The branch's working calendar for a ROC year: holidays, working days, seasonality, ROC dates.

Holidays follow the Directorate-General of Personnel Administration's rules: fixed national
holidays and the lunar festivals (from a small table of their Gregorian dates, years
2020-2030), a holiday on Saturday observed on the Friday before and on Sunday on the Monday
after, plus the bridge days and make-up Saturdays announced for a year (112 has 247 working
days, the figure the branch reports).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

ROC_OFFSET = 1911

# Lunar New Year's day, Dragon Boat Festival, Mid-Autumn Festival.
_LUNAR_FESTIVALS: dict[int, tuple[str, str, str]] = {
    2020: ("2020-01-25", "2020-06-25", "2020-10-01"),
    2021: ("2021-02-12", "2021-06-14", "2021-09-21"),
    2022: ("2022-02-01", "2022-06-03", "2022-09-10"),
    2023: ("2023-01-22", "2023-06-22", "2023-09-29"),
    2024: ("2024-02-10", "2024-06-10", "2024-09-17"),
    2025: ("2025-01-29", "2025-05-31", "2025-10-06"),
    2026: ("2026-02-17", "2026-06-19", "2026-09-25"),
    2027: ("2027-02-06", "2027-06-09", "2027-09-15"),
    2028: ("2028-01-26", "2028-05-28", "2028-10-03"),
    2029: ("2029-02-13", "2029-06-16", "2029-09-22"),
    2030: ("2030-02-03", "2030-06-05", "2030-09-12"),
}
# Announced bridge days off and make-up working Saturdays, by Gregorian year.
_BRIDGE_DAYS = {2023: ("01-26", "01-27", "02-27", "04-03", "06-23", "10-09")}
_MAKEUP_SATURDAYS = {2023: ("02-18", "03-25", "06-17", "09-23")}

SUPPORTED_ROC_YEARS = range(
    min(_LUNAR_FESTIVALS) - ROC_OFFSET, max(_LUNAR_FESTIVALS) - ROC_OFFSET + 1
)


class CalendarError(ValueError):
    """The ROC year is outside the years the calendar knows."""


def roc_date(day: dt.date) -> str:
    """112/03/15 for 2023-03-15."""
    return f"{day.year - ROC_OFFSET}/{day.month:02d}/{day.day:02d}"


def parse_roc_date(text: str) -> dt.date:
    """The date of a ROC date string like 112/03/15; raises ValueError when malformed."""
    year, month, day = (int(part) for part in text.split("/"))
    return dt.date(year + ROC_OFFSET, month, day)


@dataclass(frozen=True)
class YearCalendar:
    roc_year: int

    def __post_init__(self) -> None:
        if self.roc_year not in SUPPORTED_ROC_YEARS:
            raise CalendarError(
                f"ROC year {self.roc_year} is not supported; "
                f"use {SUPPORTED_ROC_YEARS.start}-{SUPPORTED_ROC_YEARS.stop - 1}"
            )

    @property
    def year(self) -> int:
        return self.roc_year + ROC_OFFSET

    @property
    def days(self) -> list[dt.date]:
        first = dt.date(self.year, 1, 1)
        count = (dt.date(self.year + 1, 1, 1) - first).days
        return [first + dt.timedelta(days=i) for i in range(count)]

    @property
    def lunar_new_year(self) -> dt.date:
        return dt.date.fromisoformat(_LUNAR_FESTIVALS[self.year][0])

    @cached_property
    def holidays(self) -> frozenset[dt.date]:
        """Weekdays off: observed national holidays and announced bridge days."""
        new_year, dragon_boat, mid_autumn = (
            dt.date.fromisoformat(d) for d in _LUNAR_FESTIVALS[self.year]
        )
        lunar_week = [new_year + dt.timedelta(days=i) for i in range(-1, 3)]
        fixed = [dt.date(self.year, m, d) for m, d in ((1, 1), (2, 28), (4, 4), (4, 5), (10, 10))]
        off: set[dt.date] = set()
        for day in sorted([*fixed, *lunar_week, dragon_boat, mid_autumn]):
            off.add(self._observed(day, off))
        off.update(
            dt.date.fromisoformat(f"{self.year}-{md}") for md in _BRIDGE_DAYS.get(self.year, ())
        )
        return frozenset(d for d in off if d.weekday() < 5 and d.year == self.year)

    @staticmethod
    def _observed(day: dt.date, taken: set[dt.date]) -> dt.date:
        if day.weekday() == 5:
            day -= dt.timedelta(days=1)
        step = dt.timedelta(days=1)
        while day.weekday() == 6 or (day in taken and day.weekday() < 5):
            day += step
        return day

    @cached_property
    def working_days(self) -> list[dt.date]:
        makeup = {
            dt.date.fromisoformat(f"{self.year}-{md}")
            for md in _MAKEUP_SATURDAYS.get(self.year, ())
        }
        return [d for d in self.days if (d.weekday() < 5 and d not in self.holidays) or d in makeup]

    @cached_property
    def working_day_set(self) -> frozenset[dt.date]:
        return frozenset(self.working_days)

    def last_working_day_on_or_before(self, day: dt.date) -> dt.date:
        return max(d for d in self.working_days if d <= day)

    def import_weight(self, day: dt.date) -> float:
        """Relative volume of import applications on a day.

        Working days carry the volume (online filings trickle in on days off); fewer
        batches in the two weeks after Lunar New Year, more in the stocking-up weeks before
        it and from October to the year-end shopping season.
        """
        weight = 1.0 if day in self.working_day_set else 0.03
        since_new_year = (day - self.lunar_new_year).days
        if 0 <= since_new_year < 14:
            weight *= 0.55
        elif -21 <= since_new_year < 0:
            weight *= 1.2
        if day.month >= 10:
            weight *= 1.0 + 0.06 * (day.month - 9)
        if day.weekday() == 0:
            weight *= 1.1
        return weight
