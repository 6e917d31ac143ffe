"""The console's lists of cases: each unit's queue of open cases, earliest due date first,
overdue ones marked in words (and colour), cases awaiting triage marked; and search by
tracking number or words. Section staff see only their own unit's cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from feedback_api import cases
from feedback_api.tracking import normalize_tracking
from feedback_api.triage import TRIAGE_UNIT, UNITS
from feedback_api.web.labels import (
    status_label,
    type_label,
)
from feedback_api.web.pages import TAIPEI
from feedback_api.web.staff_access import StaffRequest, audit, staff_page
from feedback_api.web.staff_session import may_handle, sees_all_units

SUMMARY_LENGTH = 40


@dataclass(frozen=True)
class CaseRow:
    tracking: str
    due_at: datetime
    overdue: bool
    overdue_days: int
    type_label: str
    status_label: str
    unit: str
    summary: str
    awaiting_triage: bool  # the model was unsure or absent: a person must route it


def days_late(due_at: datetime, now: datetime) -> int:
    """Calendar days (Taipei) past the due date; a case late since this morning is 1 day late."""
    return max(1, (now.astimezone(TAIPEI).date() - due_at.astimezone(TAIPEI).date()).days)


def case_row(case: cases.Case, now: datetime) -> CaseRow:
    overdue = case.overdue(now)
    text = " ".join(case.text.split())
    return CaseRow(
        tracking=case.tracking,
        due_at=case.due_at,
        overdue=overdue,
        overdue_days=days_late(case.due_at, now) if overdue else 0,
        type_label=type_label(case.case_type),
        status_label=status_label(case.status),
        unit=case.unit,
        summary=text if len(text) <= SUMMARY_LENGTH else text[:SUMMARY_LENGTH] + "…",
        awaiting_triage=case.routing_method == "triage" and case.unit == TRIAGE_UNIT,
    )


async def queue(staff: StaffRequest) -> Response:
    account = staff.account
    if sees_all_units(account):
        unit = staff.request.query_params.get("unit") or account.unit or TRIAGE_UNIT
    else:
        unit = account.unit or TRIAGE_UNIT
    if unit not in UNITS:
        unit = TRIAGE_UNIT
    now = datetime.now(UTC)
    counts = await run_in_threadpool(cases.open_counts_by_unit, staff.web.store, now)
    unit_tabs = []
    if sees_all_units(account):
        unit_tabs = [(name, *counts.get(name, (0, 0))) for name in UNITS]
    queue = await run_in_threadpool(cases.list_queue, staff.web.store, unit=unit)
    rows = [case_row(case, now) for case in queue]
    total, overdue = counts.get(unit, (0, 0))
    context = {
        "nav": "queue",
        "unit": unit,
        "units": unit_tabs,
        "rows": rows,
        "open_count": total,
        "overdue_count": overdue,
        "reply_days": staff.web.settings.reply_days,
    }
    return staff_page(staff, "staff/queue.html", context)


SEARCH_LIMIT = 100


async def search(staff: StaffRequest) -> Response:
    query = staff.request.query_params.get("q", "").strip()[:200]
    rows: list[CaseRow] = []
    found: list[cases.Case] = []
    if query:
        unit = None if sees_all_units(staff.account) else staff.account.unit
        found = await run_in_threadpool(
            cases.search_cases, staff.web.store, query, unit=unit, limit=SEARCH_LIMIT
        )
        found = [case for case in found if may_handle(staff.account, case.unit)]
        await run_in_threadpool(
            audit, staff.web, staff.actor, "search", detail={"q": query, "hits": len(found)}
        )
        if len(found) == 1 and found[0].tracking == normalize_tracking(query):
            return RedirectResponse(f"/staff/cases/{found[0].tracking}", status_code=303)
        now = datetime.now(UTC)
        rows = [case_row(case, now) for case in found]
    context = {"nav": "search", "q": query, "rows": rows, "truncated": len(found) >= SEARCH_LIMIT}
    return staff_page(staff, "staff/search.html", context)
