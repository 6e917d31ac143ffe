"""The staff console at ``/staff``: login and logout, each unit's queue (due date first, overdue
cases marked in words), the case page (text, attachments, routing confidence and the words
behind it), the actions on a case (reassign, reply, internal note, close, mark duplicate,
refer), entering a case for a citizen who phoned, wrote or e-mailed, search, the audit log
(supervisors) and the staff accounts (admins list them and add new ones).

Every page needs a staff session; every POST also needs the CSRF token. Section staff see only
their own unit's cases. Changes go through :mod:`feedback_api.cases`, which writes the audit
log in the same transaction; page views, searches and logins are audited here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from feedback_api import accounts as staff_accounts
from feedback_api import cases, schema
from feedback_api.accounts import Account
from feedback_api.audit import Actor, list_audit, record_audit
from feedback_api.lifecycle import ROUTABLE_STATUSES, TRANSITIONS, TransitionError
from feedback_api.mail import status_link
from feedback_api.triage import TRIAGE_UNIT, UNITS
from feedback_api.vocabulary import CHANNELS, SAFETY_MARK, STAFF_CHANNELS
from feedback_api.web.citizen import attachment_response
from feedback_api.web.citizen_form import (
    CASE_FIELD_CHOICES,
    check_submission,
    form_values,
    in_form_order,
    uploaded_files,
)
from feedback_api.web.context import WebContext, web_context
from feedback_api.web.csrf import CSRF_FIELD, check_csrf
from feedback_api.web.explain import explain_routing
from feedback_api.web.labels import (
    AUDIT_ACTIONS,
    ROUTING_METHODS,
    channel_label,
    status_label,
    timeline_lines,
    type_label,
    zh_part,
)
from feedback_api.web.pages import TAIPEI, render
from feedback_api.web.staff_session import (
    ROLE_LABELS,
    current_staff,
    end_session,
    may_handle,
    sees_all_units,
    start_session,
)

SUPERVISORS = ("supervisor", "admin")
SUMMARY_LENGTH = 40


@dataclass(frozen=True)
class StaffRequest:
    """A request that passed the session (and, for POST, the CSRF) check."""

    request: Request
    web: WebContext
    account: Account
    form: FormData | None

    @property
    def actor(self) -> Actor:
        return self.account.actor()

    def field(self, name: str) -> str:
        return str((self.form or {}).get(name) or "").strip()


Handler = Callable[[StaffRequest], Awaitable[Response]]


def _page(staff: StaffRequest, name: str, context: dict, status_code: int = 200) -> Response:
    account = staff.account
    context = {
        **context,
        "user": account,
        "sees_all": sees_all_units(account),
        "role_label": ROLE_LABELS.get(account.role or "", account.role),
    }
    return render(staff.request, staff.web.secret, name, context, status_code)


def _audit(web: WebContext, actor: Actor, action: str, **fields) -> None:
    with web.store.writing() as conn:
        record_audit(conn, actor, action, **fields)


def staff_only(handler: Handler, roles: tuple[str, ...] | None = None) -> Callable:
    """Wrap ``handler``: log-in required (else to the login page), the role when given, and a
    valid CSRF token on every POST."""

    async def endpoint(request: Request) -> Response:
        web = web_context(request)
        account = await run_in_threadpool(current_staff, request, web.store, web.secret)
        if account is None:
            target = request.url.path if request.method == "GET" else "/staff"
            return RedirectResponse(f"/staff/login?{urlencode({'next': target})}", 303)
        form = None
        if request.method == "POST":
            form = await request.form()
            if not check_csrf(request, form.get(CSRF_FIELD), web.secret):
                staff = StaffRequest(request, web, account, None)
                return _page(staff, "staff/refused.html", {"reason": "expired"}, 403)
        staff = StaffRequest(request, web, account, form)
        if roles is not None and account.role not in roles:
            return _page(staff, "staff/refused.html", {"reason": "role"}, 403)
        return await handler(staff)

    return endpoint


# --- login -----------------------------------------------------------------------------------


def _safe_next(target: str) -> str:
    """Only a path inside the console: never an absolute URL that would send staff elsewhere."""
    return target if target.startswith("/staff") and not target.startswith("//") else "/staff"


async def login_form(request: Request) -> Response:
    web = web_context(request)
    context = {"values": {}, "errors": {}, "next": _safe_next(request.query_params.get("next", ""))}
    return render(request, web.secret, "staff/login.html", context)


async def login(request: Request) -> Response:
    web = web_context(request)
    form = await request.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    context = {"values": {"username": username}, "next": _safe_next(str(form.get("next") or ""))}
    if not check_csrf(request, form.get(CSRF_FIELD), web.secret):
        errors = {"username": "登入頁面已逾時，請再輸入一次密碼後登入"}
        return render(request, web.secret, "staff/login.html", {**context, "errors": errors}, 403)
    client = request.client.host if request.client else "unknown"
    wait = max(web.login_attempts.take(f"ip:{client}"), web.login_attempts.take(f"user:{username}"))
    if wait > 0:
        seconds = math.ceil(wait)
        errors = {"username": f"登入嘗試次數過多，請 {seconds} 秒後再試"}
        response = render(
            request, web.secret, "staff/login.html", {**context, "errors": errors}, 429
        )
        response.headers["Retry-After"] = str(seconds)
        return response
    account = None
    if username and password:
        account = await run_in_threadpool(
            staff_accounts.authenticate_staff, web.store, username, password
        )
    if account is None:
        attempt = Actor("staff", f"? ({username[:64]})")
        await run_in_threadpool(_audit, web, attempt, "login_failed")
        errors = {"username": "帳號或密碼不正確"}
        return render(request, web.secret, "staff/login.html", {**context, "errors": errors}, 401)
    await run_in_threadpool(_audit, web, account.actor(), "login")
    response = RedirectResponse(context["next"], status_code=303)
    start_session(request, response, account, web.secret)
    return response


async def _logout(staff: StaffRequest) -> Response:
    await run_in_threadpool(_audit, staff.web, staff.actor, "logout")
    response = RedirectResponse("/staff/login", status_code=303)
    end_session(staff.request, response)
    return response


# --- queues and search -----------------------------------------------------------------------


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


def _days_late(due_at: datetime, now: datetime) -> int:
    """Calendar days (Taipei) past the due date; a case late since this morning is 1 day late."""
    return max(1, (now.astimezone(TAIPEI).date() - due_at.astimezone(TAIPEI).date()).days)


def _row(case: cases.Case, now: datetime) -> CaseRow:
    overdue = case.overdue(now)
    text = " ".join(case.text.split())
    return CaseRow(
        tracking=case.tracking,
        due_at=case.due_at,
        overdue=overdue,
        overdue_days=_days_late(case.due_at, now) if overdue else 0,
        type_label=type_label(case.case_type),
        status_label=status_label(case.status),
        unit=case.unit,
        summary=text if len(text) <= SUMMARY_LENGTH else text[:SUMMARY_LENGTH] + "…",
        awaiting_triage=case.routing_method == "triage" and case.unit == TRIAGE_UNIT,
    )


async def _queue(staff: StaffRequest) -> Response:
    account = staff.account
    if sees_all_units(account):
        unit = staff.request.query_params.get("unit") or account.unit or TRIAGE_UNIT
    else:
        unit = account.unit or TRIAGE_UNIT
    if unit not in UNITS:
        unit = TRIAGE_UNIT
    now = datetime.now(UTC)
    unit_tabs = []
    if sees_all_units(account):
        every_open = await run_in_threadpool(cases.list_queue, staff.web.store)
        counts = Counter(case.unit for case in every_open)
        late = Counter(case.unit for case in every_open if case.overdue(now))
        unit_tabs = [(name, counts[name], late[name]) for name in UNITS]
    queue = await run_in_threadpool(cases.list_queue, staff.web.store, unit=unit)
    rows = [_row(case, now) for case in queue]
    context = {
        "nav": "queue",
        "unit": unit,
        "units": unit_tabs,
        "rows": rows,
        "overdue_count": sum(row.overdue for row in rows),
        "reply_days": staff.web.settings.reply_days,
    }
    return _page(staff, "staff/queue.html", context)


SEARCH_LIMIT = 100


async def _search(staff: StaffRequest) -> Response:
    query = staff.request.query_params.get("q", "").strip()[:200]
    rows: list[CaseRow] = []
    found: list[cases.Case] = []
    if query:
        found = await run_in_threadpool(
            cases.search_cases, staff.web.store, query, limit=SEARCH_LIMIT
        )
        found = [case for case in found if may_handle(staff.account, case.unit)]
        await run_in_threadpool(
            _audit, staff.web, staff.actor, "search", detail={"q": query, "hits": len(found)}
        )
        if len(found) == 1 and found[0].tracking == query.upper():
            return RedirectResponse(f"/staff/cases/{found[0].tracking}", status_code=303)
        now = datetime.now(UTC)
        rows = [_row(case, now) for case in found]
    context = {"nav": "search", "q": query, "rows": rows, "truncated": len(found) >= SEARCH_LIMIT}
    return _page(staff, "staff/search.html", context)


# --- the case page and its actions -----------------------------------------------------------


async def _load_case(staff: StaffRequest) -> cases.Case | Response:
    """The case in the path, or the refusal page (unknown, or another unit's)."""
    try:
        case = await run_in_threadpool(
            cases.get_case, staff.web.store, staff.request.path_params["tracking"]
        )
    except cases.CaseNotFound:
        return _page(staff, "staff/refused.html", {"reason": "missing"}, 404)
    if not may_handle(staff.account, case.unit):
        return _page(staff, "staff/refused.html", {"reason": "unit", "unit": case.unit}, 403)
    return case


PRODUCT_FIELDS = (
    ("product_name", "商品名稱"),
    ("product_brand", "廠牌"),
    ("product_model", "型號"),
    ("sold_at_shop", "購買商店"),
    ("sold_online_url", "購買網址"),
    ("purchase_date", "購買日期"),
)


def _case_context(web: WebContext, case: cases.Case) -> dict:
    product = [
        (label, getattr(case, name)) for name, label in PRODUCT_FIELDS if getattr(case, name)
    ]
    if case.safety_mark:
        product.append(("商品安全標章", SAFETY_MARK.get(case.safety_mark, (case.safety_mark,))[0]))
    explanation = explain_routing(web.settings, case.text)
    now = datetime.now(UTC)
    overdue = case.overdue(now)
    next_statuses = TRANSITIONS.get(case.status, frozenset())
    return {
        "case": case,
        "status_label": status_label(case.status),
        "type_label": type_label(case.case_type),
        "channel_label": channel_label(case.channel),
        "routing_label": ROUTING_METHODS.get(case.routing_method, case.routing_method),
        "overdue": overdue,
        "overdue_days": _row(case, now).overdue_days,
        "product": product,
        "anonymous": case.anonymous,
        "attachments": cases.list_attachments(web.store, case.id),
        "timeline": timeline_lines(
            cases.timeline(web.store, case.id, include_internal=True), show_reply_text=True
        ),
        "explanation": explanation.ngrams if explanation else None,
        "explanation_unit": explanation.unit if explanation else None,
        "units": UNITS,
        "can_reassign": case.status in ROUTABLE_STATUSES,
        "can_reply": "replied" in next_statuses,
        "can_close": "closed" in next_statuses,
        "can_mark": "duplicate" in next_statuses,
        "reply_by_email": case.consent_reply_email and bool(case.contact_email),
    }


async def _case_page(
    staff: StaffRequest,
    case: cases.Case,
    *,
    errors: dict | None = None,
    values: dict | None = None,
    status_code: int = 200,
) -> Response:
    context = await run_in_threadpool(_case_context, staff.web, case)
    done = staff.request.query_params.get("done", "")
    context.update(
        {
            "nav": "queue",
            "errors": errors or {},
            "values": values or {},
            "message": DONE_MESSAGES.get(done) if status_code == 200 else None,
        }
    )
    return _page(staff, "staff/case.html", context, status_code)


async def _view_case(staff: StaffRequest) -> Response:
    case = await _load_case(staff)
    if isinstance(case, Response):
        return case
    await run_in_threadpool(_audit, staff.web, staff.actor, "view_case", case_id=case.id)
    return await _case_page(staff, case)


async def _view_attachment(staff: StaffRequest) -> Response:
    case = await _load_case(staff)
    if isinstance(case, Response):
        return case
    attachment_id = staff.request.path_params["attachment_id"]
    await run_in_threadpool(
        _audit, staff.web, staff.actor, "view_attachment", case_id=case.id,
        detail={"attachment_id": attachment_id},
    )  # fmt: skip
    return await attachment_response(staff.web, case, attachment_id)


DONE_MESSAGES = {
    "reassigned": "已改派。這次改派已記錄為分類模型的修正資料。",
    "replied": "已送出回覆。",
    "note": "已新增內部備註。",
    "closed": "已結案。",
    "duplicate": "已標記為重複案件。",
    "referred": "已移請其他機關處理。",
}


def _reassign(staff: StaffRequest, case: cases.Case, unit: str) -> cases.Case:
    return cases.reassign(staff.web.store, case.tracking, unit, actor=staff.actor)


def _reply(staff: StaffRequest, case: cases.Case, text: str) -> cases.Case:
    return cases.reply(staff.web.store, case.tracking, text, actor=staff.actor)


def _note(staff: StaffRequest, case: cases.Case, text: str) -> cases.Case:
    return cases.add_note(staff.web.store, case.tracking, text, actor=staff.actor)


def _close(staff: StaffRequest, case: cases.Case, _: str) -> cases.Case:
    return cases.close(staff.web.store, case.tracking, actor=staff.actor)


def _duplicate(staff: StaffRequest, case: cases.Case, original: str) -> cases.Case:
    return cases.mark_duplicate(staff.web.store, case.tracking, original, actor=staff.actor)


def _refer(staff: StaffRequest, case: cases.Case, agency: str) -> cases.Case:
    return cases.refer(staff.web.store, case.tracking, agency, actor=staff.actor)


@dataclass(frozen=True)
class CaseAction:
    """One form on the case page: the field it reads, the service call, and its messages."""

    perform: Callable[[StaffRequest, cases.Case, str], cases.Case]
    done: str
    field: str | None = None
    missing: str = ""


ACTIONS: dict[str, CaseAction] = {
    "reassign": CaseAction(_reassign, "reassigned", "unit", "請選擇要改派的單位"),
    "reply": CaseAction(_reply, "replied", "reply", "請填寫回覆內容"),
    "note": CaseAction(_note, "note", "note", "請填寫備註內容"),
    "close": CaseAction(_close, "closed"),
    "duplicate": CaseAction(_duplicate, "duplicate", "duplicate_of", "請填寫與哪一個案件編號重複"),
    "refer": CaseAction(_refer, "referred", "agency", "請填寫權責機關名稱"),
}


async def _act(staff: StaffRequest) -> Response:
    action = ACTIONS.get(staff.request.path_params["action"])
    if action is None:
        return _page(staff, "staff/refused.html", {"reason": "missing"}, 404)
    case = await _load_case(staff)
    if isinstance(case, Response):
        return case
    value = staff.field(action.field) if action.field else ""
    values = {action.field: value} if action.field else {}
    error_field = action.field or "note"
    if action.field and not value:
        return await _case_page(
            staff, case, errors={error_field: action.missing}, values=values, status_code=400
        )
    try:
        await run_in_threadpool(action.perform, staff, case, value)
    except (cases.CaseError, TransitionError, cases.CaseNotFound) as exc:
        message = zh_part(str(exc)) if not isinstance(exc, cases.CaseNotFound) else "找不到這個案件"
        return await _case_page(
            staff, case, errors={error_field: f"無法完成：{message}"}, values=values,
            status_code=409,
        )  # fmt: skip
    return RedirectResponse(
        f"/staff/cases/{quote(case.tracking)}?{urlencode({'done': action.done})}", 303
    )


# --- cases staff enter for citizens who phoned, wrote or e-mailed ---------------------------


def _new_case_page(
    staff: StaffRequest, values: dict, errors: dict, status_code: int = 200
) -> Response:
    context = {
        **CASE_FIELD_CHOICES,
        "nav": "new",
        "values": values,
        "errors": errors,
        "channels": [(code, CHANNELS[code][0]) for code in STAFF_CHANNELS],
        "reply_days": staff.web.settings.reply_days,
    }
    return _page(staff, "staff/new_case.html", context, status_code)


async def _new_case_form(staff: StaffRequest) -> Response:
    return _new_case_page(staff, {"channel": "phone"}, {})


async def _enter_case(staff: StaffRequest) -> Response:
    values = {**form_values(staff.form), "channel": staff.field("channel")}
    draft, prepared, field_errors = await check_submission(values, await uploaded_files(staff.form))
    errors = {}
    if values["channel"] not in STAFF_CHANNELS:
        errors["channel"] = "請選擇案件來源：電話、書信或電子郵件"
    errors.update(in_form_order(field_errors))
    if errors:
        return _new_case_page(staff, values, errors, 400)
    submitted = await run_in_threadpool(
        cases.submit, staff.web.store, draft, channel=values["channel"], actor=staff.actor,
        attachments=prepared,
    )  # fmt: skip
    case = await run_in_threadpool(cases.get_case, staff.web.store, submitted.tracking)
    context = {
        "case": case,
        "secret": submitted.secret,
        "status_url": status_link(staff.web.settings, case.tracking, submitted.secret),
        "lookup_url": staff.web.settings.public_url.rstrip("/") + "/feedback/status",
        "routing_label": ROUTING_METHODS.get(case.routing_method, case.routing_method),
        "nav": "new",
    }
    return _page(staff, "staff/entered.html", context)


# --- audit log and accounts ------------------------------------------------------------------


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


async def _audit_log(staff: StaffRequest) -> Response:
    entries = await run_in_threadpool(_audit_lines, staff.web)
    return _page(staff, "staff/audit.html", {"nav": "audit", "entries": entries})


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
    return _page(staff, "staff/accounts.html", context, status)


async def _list_accounts(staff: StaffRequest) -> Response:
    return await _accounts_page(staff)


async def _add_account(staff: StaffRequest) -> Response:
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
            await run_in_threadpool(_audit, staff.web, staff.actor, "add_staff", detail=detail)
            return RedirectResponse("/staff/accounts?done=added", status_code=303)
    return await _accounts_page(staff, errors, values, 400)


routes = [
    Route("/staff/login", login_form, methods=["GET"], name="staff_login"),
    Route("/staff/login", login, methods=["POST"]),
    Route("/staff/logout", staff_only(_logout), methods=["POST"]),
    Route("/staff", staff_only(_queue), methods=["GET"], name="staff_queue"),
    Route("/staff/search", staff_only(_search), methods=["GET"]),
    Route("/staff/cases/new", staff_only(_new_case_form), methods=["GET"]),
    Route("/staff/cases/new", staff_only(_enter_case), methods=["POST"]),
    Route("/staff/cases/{tracking}", staff_only(_view_case), methods=["GET"]),
    Route(
        "/staff/cases/{tracking}/attachments/{attachment_id:int}",
        staff_only(_view_attachment),
        methods=["GET"],
    ),
    Route(
        "/staff/cases/{tracking}/{action:str}",
        staff_only(_act),
        methods=["POST"],
    ),
    Route("/staff/audit", staff_only(_audit_log, roles=SUPERVISORS), methods=["GET"]),
    Route("/staff/accounts", staff_only(_list_accounts, roles=("admin",)), methods=["GET"]),
    Route("/staff/accounts", staff_only(_add_account, roles=("admin",)), methods=["POST"]),
]
