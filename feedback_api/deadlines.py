"""The answer target's calendar: when a case falls due, and what "by the next working day"
means for the reminders.

Working days are Monday to Friday on the Taipei calendar. The service knows no national
holidays or make-up working Saturdays: a holiday on a weekday counts as a working day.

A case is due ``reply_days`` working days after it was received, at the same time of day:
received on Friday at 15:00, due on Wednesday at 15:00 (three days later would be Monday, with
only one working day to answer). A case received on a Saturday or Sunday is counted from the
start of Monday, so it is due at the end of the third working day.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


def is_working_day(moment: datetime) -> bool:
    """Monday to Friday, Taipei time."""
    return moment.astimezone(TAIPEI).weekday() < 5


def due_after(received: datetime, working_days: int) -> datetime:
    """When a case received at ``received`` is due: ``working_days`` working days later (UTC)."""
    local = received.astimezone(TAIPEI)
    if not is_working_day(local):
        day = local.date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        local = datetime.combine(day, time(), tzinfo=TAIPEI)
    remaining = working_days
    while remaining > 0:
        local += timedelta(days=1)
        if is_working_day(local):
            remaining -= 1
    return local.astimezone(UTC)


def end_of_next_working_day(now: datetime) -> datetime:
    """Midnight at the end of the next Monday-to-Friday day after ``now``, Taipei time."""
    day = now.astimezone(TAIPEI).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=TAIPEI)
