"""Console pages for supervisors and admins: the audit log of every staff action, and the
accounts (admins list staff and volunteers, add staff, change a staff member's role, unit or e-mail,
set a new password, deactivate and reactivate accounts — all through
:mod:`feedback_api.accounts`, which audits each change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from feedback_api import accounts as staff_accounts
from feedback_api import schema
from feedback_api.accounts import Account
from feedback_api.audit import list_audit
from feedback_api.triage import UNITS
from feedback_api.web.context import WebContext
from feedback_api.web.labels import AUDIT_ACTIONS, zh_part
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
    return "；".join(
        f"{key}: {_change_text(value)}" for key, value in detail.items() if value is not None
    )


def _change_text(value) -> str:
    """A recorded change ``[old, new]`` reads "old → new"; any other value as it is."""
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]} → {value[1]}"
    return str(value)


async def audit_log(staff: StaffRequest) -> Response:
    entries = await run_in_threadpool(_audit_lines, staff.web)
    return staff_page(staff, "staff/audit.html", {"nav": "audit", "entries": entries})


ACCOUNT_MESSAGES = {
    "added": "已新增帳號。",
    "changed": "已更新帳號。",
    "unchanged": "帳號沒有變更。",
    "revoked": "已撤銷權杖，使用它的裝置將無法再送出通報。",
}


def _account_lists(web: WebContext) -> dict[str, list[Account]]:
    return {kind: staff_accounts.list_accounts(web.store, kind) for kind in ("staff", "volunteer")}


async def accounts_page(
    staff: StaffRequest, errors: dict | None = None, values: dict | None = None, status: int = 200
) -> Response:
    lists = await run_in_threadpool(_account_lists, staff.web)
    last_used = await run_in_threadpool(staff_accounts.tokens_last_used, staff.web.store)
    context = {
        "nav": "accounts",
        "accounts": lists["staff"],
        "volunteers": lists["volunteer"],
        "tokens_last_used": last_used,
        "last_used_minutes": staff_accounts.LAST_USED_RESOLUTION // timedelta(minutes=1),
        "role_labels": ROLE_LABELS,
        "units": UNITS,
        "errors": errors or {},
        "values": values or {},
        "message": ACCOUNT_MESSAGES.get(staff.request.query_params.get("done", "")),
    }
    return staff_page(staff, "staff/accounts.html", context, status)


async def list_accounts(staff: StaffRequest) -> Response:
    return await accounts_page(staff)


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
            errors[exc.field or "username"] = f"無法新增：{zh_part(str(exc))}"
        else:
            detail = {"username": account.username, "role": account.role, "unit": account.unit}
            await run_in_threadpool(audit, staff.web, staff.actor, "add_staff", detail=detail)
            return RedirectResponse("/staff/accounts?done=added", status_code=303)
    return await accounts_page(staff, errors, values, 400)


async def edit_page(
    staff: StaffRequest, account: Account, errors: dict | None = None, status: int = 200
) -> Response:
    """An account's page: its edit form and, for a volunteer, their tokens."""
    tokens = []
    if account.kind == "volunteer":
        tokens = await run_in_threadpool(
            staff_accounts.list_keys, staff.web.store, account_id=account.id
        )
    context = {
        "nav": "accounts",
        "account": account,
        "tokens": tokens,
        "message": ACCOUNT_MESSAGES.get(staff.request.query_params.get("done", "")),
        "role_labels": ROLE_LABELS,
        "units": UNITS,
        "errors": errors or {},
        "values": {"role": account.role, "unit": account.unit or "", "email": account.email or ""},
    }
    return staff_page(staff, "staff/account.html", context, status)


async def account_of(staff: StaffRequest) -> Account | None:
    account_id = staff.request.path_params["account_id"]
    try:
        return await run_in_threadpool(staff_accounts.get_account, staff.web.store, account_id)
    except NoResultFound:
        return None


def no_such_account(staff: StaffRequest) -> Response:
    return staff_page(staff, "staff/refused.html", {"reason": "no_account"}, 404)


async def edit_account(staff: StaffRequest) -> Response:
    account = await account_of(staff)
    if account is None:
        return no_such_account(staff)
    return await edit_page(staff, account)


async def change_account(staff: StaffRequest) -> Response:
    """Apply the edit form: role and unit (staff), active or not, and an optional new password."""
    account = await account_of(staff)
    if account is None:
        return no_such_account(staff)
    changes: dict = {"active": staff.field("active") == "yes"}
    if "email" in (staff.form or {}):
        changes["email"] = staff.field("email")
    if account.kind == "staff":
        changes.update(role=staff.field("role"), unit=staff.field("unit") or None)
        changes["password"] = str((staff.form or {}).get("password") or "") or None
    try:
        changed = await run_in_threadpool(
            staff_accounts.change_account, staff.web.store, account.id, staff.actor, **changes
        )
    except staff_accounts.AccountError as exc:
        return await edit_page(staff, account, {exc.field or "active": zh_part(str(exc))}, 400)
    done = "changed" if changed else "unchanged"
    return RedirectResponse(f"/staff/accounts?done={done}", status_code=303)
