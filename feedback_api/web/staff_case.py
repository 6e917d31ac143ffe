"""One case in the console: the page (text, product, contact, attachments, routing
confidence and the words behind it, the full timeline) and the actions on it — reassign
(kept as a correction for the classifier), reply (e-mailed), internal note, close, duplicate,
refer — each a call into :mod:`feedback_api.cases`, which audits it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from feedback_api import accounts, cases
from feedback_api.lifecycle import ROUTABLE_STATUSES, TRANSITIONS, TransitionError
from feedback_api.triage import UNITS
from feedback_api.vocabulary import SAFETY_MARK
from feedback_api.web.citizen import attachment_response
from feedback_api.web.context import WebContext
from feedback_api.web.explain import explain_routing
from feedback_api.web.labels import (
    ROUTING_METHODS,
    channel_label,
    status_label,
    timeline_lines,
    type_label,
    zh_part,
)
from feedback_api.web.staff_access import StaffRequest, audit, staff_page
from feedback_api.web.staff_queue import days_late
from feedback_api.web.staff_session import may_handle


async def _load_case(staff: StaffRequest) -> cases.Case | Response:
    """The case in the path, or the refusal page (unknown, or another unit's)."""
    try:
        case = await run_in_threadpool(
            cases.get_case, staff.web.store, staff.request.path_params["tracking"]
        )
    except cases.CaseNotFound:
        return staff_page(staff, "staff/refused.html", {"reason": "missing"}, 404)
    if not may_handle(staff.account, case.unit):
        return staff_page(staff, "staff/refused.html", {"reason": "unit", "unit": case.unit}, 403)
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
        "overdue_days": days_late(case.due_at, now) if overdue else 0,
        "product": product,
        "anonymous": case.anonymous,
        # a volunteer monitor's report has no contact block: the volunteer is known by their
        # account and reads the reply through the volunteer API
        "volunteer": (
            accounts.get_account(web.store, case.volunteer_id) if case.volunteer_id else None
        ),
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
    return staff_page(staff, "staff/case.html", context, status_code)


async def view_case(staff: StaffRequest) -> Response:
    case = await _load_case(staff)
    if isinstance(case, Response):
        return case
    await run_in_threadpool(audit, staff.web, staff.actor, "view_case", case_id=case.id)
    return await _case_page(staff, case)


async def view_attachment(staff: StaffRequest) -> Response:
    case = await _load_case(staff)
    if isinstance(case, Response):
        return case
    attachment_id = staff.request.path_params["attachment_id"]
    await run_in_threadpool(
        audit, staff.web, staff.actor, "view_attachment", case_id=case.id,
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


async def act(staff: StaffRequest) -> Response:
    action = ACTIONS.get(staff.request.path_params["action"])
    if action is None:
        return staff_page(staff, "staff/refused.html", {"reason": "missing"}, 404)
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
