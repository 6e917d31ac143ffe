"""Console pages for supervisors and admins: the audit log of every staff action, and the
staff accounts (admins list them and add new ones through :mod:`feedback_api.accounts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from feedback_api import accounts as staff_accounts
from feedback_api import schema
from feedback_api.accounts import Account
from feedback_api.audit import list_audit
from feedback_api.triage import UNITS
from feedback_api.web.context import WebContext
from feedback_api.web.labels import AUDIT_ACTIONS
from feedback_api.web.staff_access import StaffRequest, audit, staff_page
from feedback_api.web.staff_session import ROLE_LABELS


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action_label: str
    tracking: str | None
    detail_text: str


def _audit_lines(web: WebContext) -> list[AuditLine]:
    entries = list_audit(web.store, limit=500)
    case_ids = {entry.case_id for entry in entries if entry.case_id is not None}
    trackings: dict[int, str] = {}
    if case_ids:
        with web.store.reading() as conn:
            trackings = dict(
                conn.execute(
                    select(schema.cases.c.id, schema.cases.c.tracking).where(
                        schema.cases.c.id.in_(case_ids)
                    )
                ).all()
            )
    return [
        AuditLine(
            at=entry.at,
            actor=entry.actor,
            action_label=AUDIT_ACTIONS.get(entry.action, entry.action),
            tracking=trackings.get(entry.case_id) if entry.case_id else None,
            detail_text=_detail_text(entry.detail),
        )
        for entry in entries
    ]


def _detail_text(detail: dict | None) -> str:
    if not detail:
        return ""
    return "；".join(f"{key}: {value}" for key, value in detail.items() if value is not None)


async def audit_log(staff: StaffRequest) -> Response:
    entries = await run_in_threadpool(_audit_lines, staff.web)
    return staff_page(staff, "staff/audit.html", {"nav": "audit", "entries": entries})


def _staff_list(web: WebContext) -> list[Account]:
    query = select(schema.accounts.c.id).where(schema.accounts.c.kind == "staff")
    with web.store.reading() as conn:
        ids = conn.execute(query.order_by(schema.accounts.c.username)).scalars().all()
    return [staff_accounts.get_account(web.store, account_id) for account_id in ids]


async def _accounts_page(
    staff: StaffRequest, errors: dict | None = None, values: dict | None = None, status: int = 200
) -> Response:
    context = {
        "nav": "accounts",
        "accounts": await run_in_threadpool(_staff_list, staff.web),
        "role_labels": ROLE_LABELS,
        "units": UNITS,
        "errors": errors or {},
        "values": values or {},
        "message": "已新增帳號。" if staff.request.query_params.get("done") == "added" else None,
    }
    return staff_page(staff, "staff/accounts.html", context, status)


async def list_accounts(staff: StaffRequest) -> Response:
    return await _accounts_page(staff)


async def add_account(staff: StaffRequest) -> Response:
    values = {
        name: staff.field(name) for name in ("username", "display_name", "role", "unit", "email")
    }
    password = str((staff.form or {}).get("password") or "")
    errors = {}
    if not values["display_name"]:
        errors["display_name"] = "請填寫姓名"
    if values["role"] not in ROLE_LABELS:
        errors["role"] = "請選擇角色"
    if not errors:
        try:
            account = await run_in_threadpool(
                staff_accounts.add_staff, staff.web.store, values["username"], password,
                display_name=values["display_name"], role=values["role"],
                unit=values["unit"] or None, email=values["email"] or None,
            )  # fmt: skip
        except staff_accounts.AccountError as exc:
            message = str(exc)
            field = next((f for f in ("password", "unit", "role") if f in message), "username")
            errors[field] = f"無法新增：{message}"
        else:
            detail = {"username": account.username, "role": account.role, "unit": account.unit}
            await run_in_threadpool(audit, staff.web, staff.actor, "add_staff", detail=detail)
            return RedirectResponse("/staff/accounts?done=added", status_code=303)
    return await _accounts_page(staff, errors, values, 400)
