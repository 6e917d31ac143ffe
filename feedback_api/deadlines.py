"""The answer target's calendar: which days the branch works, when a case falls due, and what
"by the next working day" means for the reminders.

Working days follow Taiwan's official calendar for government offices (the DGPA's 政府行政機關
辦公日曆表) as the ``holidays`` package ships it, with no download at run time: Saturdays,
Sundays and national holidays are days off, and so are the observed days (補假) and bridge days
(彈性放假) that go with them; the make-up working Saturdays (補行上班) are working days. A year
whose calendar the DGPA had not published when the package was released follows the statutory
holidays and observance rules; upgrading the package brings the published calendar. On top of
it come the days the operator declares for this branch (:mod:`feedback_api.declared_days`):
a typhoon day (停止上班) is a day off, an extra working day is a working day.

A case is due ``reply_days`` working days after it was received, at the same time of day:
received on Friday at 15:00, due on Wednesday at 15:00 (three days later would be Monday, with
only one working day to answer); received on Friday 13 February 2026, before the Lunar New
Year break, due on Wednesday 25 February. A case received on a day off is counted from the
start of the next working day, so it is due when the third working day after that begins:
received on a Saturday, due at 00:00 on Thursday, once Monday, Tuesday and Wednesday have passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

TAIPEI = ZoneInfo("Asia/Taipei")
ONE_DAY = timedelta(days=1)
# The years the package knows Taiwan's calendar for (before 1998 it has no holidays at all).
KNOWN_YEARS = range(holidays.TW.start_year, holidays.TW.end_year + 1)


@cache
def _national_calendar(year: int) -> holidays.HolidayBase:
    """Taiwan's days off for government offices around ``year``. The years either side are
    included because a make-up Saturday can be announced with the next year's holidays; the
    calendar never grows after it is built, so threads may share it."""
    return holidays.country_holidays(
        "TW",
        years=(year - 1, year, year + 1),
        categories=(holidays.PUBLIC, holidays.GOVERNMENT),
        language="en_US",
        expand=False,
    )


def is_national_working_day(day: date) -> bool:
    """A working day on Taiwan's official calendar, before the operator's declarations."""
    return _national_calendar(day.year).is_working_day(day)


@dataclass(frozen=True)
class NationalException:
    """A day of Taiwan's calendar that is not the usual Monday-to-Friday: a weekday off, or a
    working Saturday or Sunday, with the holiday's name."""

    day: date
    working: bool
    name: str


def national_exceptions(year: int) -> list[NationalException]:
    """The weekdays off and the working weekend days of ``year``, in date order."""
    calendar = _national_calendar(year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    exceptions = [
        NationalException(day, working=False, name=name)
        for day, name in calendar.items()
        if first <= day <= last and not calendar.is_weekend(day)
    ]
    exceptions += [
        NationalException(day, working=True, name="make-up working day")
        for day in calendar.weekend_workdays
        if day.year == year
    ]
    return sorted(exceptions, key=lambda exception: exception.day)


@dataclass(frozen=True)
class OfficeCalendar:
    """The branch's working days: Taiwan's official calendar, then the operator's declared
    days off (typhoon days) and extra working days."""

    declared_closed: frozenset[date] = frozenset()
    declared_working: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.declared_closed:
            return False
        return day in self.declared_working or is_national_working_day(day)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day


def due_after(received: datetime, working_days: int, calendar: OfficeCalendar) -> datetime:
    """When a case received at ``received`` is due: ``working_days`` working days later (UTC)."""
    local = received.astimezone(TAIPEI)
    day, time_of_day = local.date(), local.time()
    if not calendar.is_working_day(day):
        day, time_of_day = calendar.next_working_day(day), time()
    for _ in range(working_days):
        day = calendar.next_working_day(day)
    return datetime.combine(day, time_of_day, tzinfo=TAIPEI).astimezone(UTC)


def end_of_next_working_day(now: datetime, calendar: OfficeCalendar) -> datetime:
    """Midnight at the end of the next working day after ``now``, Taipei time."""
    day = calendar.next_working_day(now.astimezone(TAIPEI).date())
    return datetime.combine(day + ONE_DAY, time(), tzinfo=TAIPEI)
