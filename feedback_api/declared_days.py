"""The days the operator declares for this branch on top of Taiwan's official calendar: a day
the office is closed (a typhoon day, 停止上班, which the local government announces the evening
before) or an extra working day. Operators declare them with ``kaifang calendar``.

Declarations live in the feedback store, so every service instance and the reminders count
them at once, without a restart; new cases read them in the transaction that stores them.
Declaring or withdrawing a day recounts, in the same transaction, the due date of every case
whose answer period the day falls in — open or finished, with the current ``reply_days`` — so
staff get no overdue alarm for a day the office was closed, and the published ``within_target``
verdict counts the day as the office lived it. Each change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Connection, delete, select

from feedback_api import schema
from feedback_api.audit import Actor, record_audit
from feedback_api.deadlines import (
    ONE_DAY,
    TAIPEI,
    OfficeCalendar,
    due_after,
    is_national_working_day,
)
from feedback_api.store import Store

CLOSED, WORKING = "closed", "working"


class DeclarationError(ValueError):
    """A declaration that would change nothing; the message says why."""


@dataclass(frozen=True)
class DeclaredDay:
    day: date
    kind: str  # closed | working
    reason: str | None

    @property
    def working(self) -> bool:
        return self.kind == WORKING


def office_calendar(conn: Connection) -> OfficeCalendar:
    """The branch's calendar with every declared day, read in the caller's transaction."""
    table = schema.declared_days
    rows = conn.execute(select(table.c.day, table.c.kind)).all()
    return OfficeCalendar(
        declared_closed=frozenset(row.day for row in rows if row.kind == CLOSED),
        declared_working=frozenset(row.day for row in rows if row.kind == WORKING),
    )


def load_office_calendar(store: Store) -> OfficeCalendar:
    with store.reading() as conn:
        return office_calendar(conn)


def list_declared_days(store: Store, year: int) -> list[DeclaredDay]:
    """The days declared in ``year``, in date order."""
    table = schema.declared_days
    in_year = table.c.day.between(date(year, 1, 1), date(year, 12, 31))
    query = select(table).where(in_year).order_by(table.c.day)
    with store.reading() as conn:
        return [DeclaredDay(row.day, row.kind, row.reason) for row in conn.execute(query)]


def declare_day(store: Store, day: date, kind: str, reason: str | None, actor: Actor) -> int:
    """Declare ``day`` closed or a working day (``kind``, replacing an earlier declaration of
    it); return how many cases' due dates moved. Raises DeclarationError when the day already
    is what ``kind`` says on Taiwan's official calendar."""
    if (kind == WORKING) == is_national_working_day(day):
        status = "a working day" if kind == WORKING else "a day off"
        raise DeclarationError(
            f"{day} is {status} on Taiwan's official calendar already: nothing to declare "
            "(to undo an earlier declaration of this day, withdraw it)"
        )
    reason = (reason or "").strip() or None
    table = schema.declared_days
    with store.writing() as conn:
        conn.execute(delete(table).where(table.c.day == day))
        conn.execute(
            table.insert().values(day=day, kind=kind, reason=reason, declared_at=datetime.now(UTC))
        )
        moved = _recount_due_dates(conn, day, store.settings.reply_days)
        detail = {"day": day.isoformat(), "reason": reason, "due_dates_moved": moved}
        record_audit(conn, actor, f"declare_{kind}_day", detail=detail)
    return moved


def withdraw_day(store: Store, day: date, actor: Actor) -> int:
    """Withdraw the declaration of ``day`` (it follows Taiwan's official calendar again);
    return how many cases' due dates moved. Raises DeclarationError if none was made."""
    table = schema.declared_days
    with store.writing() as conn:
        if conn.execute(delete(table).where(table.c.day == day)).rowcount == 0:
            raise DeclarationError(f"{day} has no declaration to withdraw")
        moved = _recount_due_dates(conn, day, store.settings.reply_days)
        detail = {"day": day.isoformat(), "due_dates_moved": moved}
        record_audit(conn, actor, "withdraw_declared_day", detail=detail)
    return moved


def _recount_due_dates(conn: Connection, day: date, reply_days: int) -> int:
    """Count again the due date of every case received before ``day`` ended and due after it
    began; return how many moved. A moved case's ``updated_at`` moves too, so Open311 clients
    polling for changes see its new expected time."""
    start = datetime.combine(day, time(), tzinfo=TAIPEI)
    cases = schema.cases
    calendar = office_calendar(conn)
    affected = conn.execute(
        select(cases.c.id, cases.c.received_at, cases.c.due_at).where(
            cases.c.received_at < start + ONE_DAY, cases.c.due_at > start
        )
    ).all()
    now, moved = datetime.now(UTC), 0
    for case in affected:
        due = due_after(case.received_at, reply_days, calendar)
        if due != case.due_at:
            conn.execute(
                cases.update().where(cases.c.id == case.id).values(due_at=due, updated_at=now)
            )
            moved += 1
    return moved
