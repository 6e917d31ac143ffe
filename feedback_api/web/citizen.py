"""The citizen's pages: the feedback form at ``/feedback`` (works without JavaScript), the
confirmation with tracking number, status link and QR code, the status page (timeline, reply,
satisfaction survey, withdrawing publication consent) and the submitter's own attachments.

A case is shown only with its secret (``?key=`` on links, a hidden field on forms); a wrong
number and a wrong secret get the same answer, so numbers cannot be probed.

Every page and message is in the reader's language (:mod:`.citizen_language`).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import segno
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from feedback_api import attachments as attachment_files
from feedback_api import cases
from feedback_api.api import BodyError, upload_form
from feedback_api.lifecycle import FINISHED_STATUSES
from feedback_api.mail import status_link
from feedback_api.tracking import normalize_tracking
from feedback_api.web.citizen_form import (
    HONEYPOT_FIELD,
    case_field_choices,
    check_submission,
    form_values,
    in_form_order,
    uploaded_files,
)
from feedback_api.web.citizen_language import message_translator, page_language
from feedback_api.web.context import WebContext, web_context
from feedback_api.web.csrf import CSRF_FIELD, check_csrf
from feedback_api.web.labels import message_part, status_label, timeline_lines, type_label
from feedback_api.web.pages import TAIPEI, render_citizen_page
from feedback_api.web.security import PAGE_HEADERS

SURVEY_DONE = "survey"
CONSENT_WITHDRAWN = "consent"
DONE_MESSAGES = {
    SURVEY_DONE: "Thank you for answering the satisfaction survey.",
    CONSENT_WITHDRAWN: "Your consent is withdrawn: we will not publish the content of your case.",
}


def _form_page(
    request: Request, web: WebContext, values: dict, errors: dict, status_code: int = 200
) -> Response:
    context = {
        **case_field_choices(page_language(request)),
        "values": values,
        "errors": errors,
        "reply_days": web.settings.reply_days,
    }
    return render_citizen_page(
        request, web.secret, "citizen/form.html", context, status_code, address="/feedback"
    )


async def feedback_form(request: Request) -> Response:
    return _form_page(request, web_context(request), {}, {})


async def submit_feedback(request: Request) -> Response:
    web = web_context(request)
    language = page_language(request)
    _ = message_translator(language)
    try:
        form = await upload_form(request, "attachments")
    except (BodyError, attachment_files.AttachmentError) as exc:  # the parser gave up on it
        errors = {"attachments": message_part(exc.errors[0].message, language)}
        return _form_page(request, web, {}, errors, status_code=400)
    values = form_values(form)
    if not check_csrf(request, form.get(CSRF_FIELD), web.secret):
        errors = {
            "text": _(
                "To protect your data, this form has expired. What you wrote is still here:"
                " please choose your attachments again and press “Send” once more."
            )
        }
        return _form_page(request, web, values, errors, status_code=403)
    if form.get(HONEYPOT_FIELD):
        return render_citizen_page(
            request, web.secret, "citizen/rejected.html", {}, 400, address="/feedback"
        )

    draft, prepared, errors = await check_submission(values, await uploaded_files(form), language)
    if errors:
        return _form_page(request, web, values, in_form_order(errors), status_code=400)
    try:
        request.app.state.limiter.check(request)
    except HTTPException as exc:
        problem = message_part(str(exc.detail), language)
        errors = {
            "text": _(
                "{problem}. What you wrote is still here; please wait a moment and send it."
            ).format(problem=problem)
        }
        response = _form_page(request, web, values, errors, status_code=exc.status_code)
        response.headers.update(exc.headers or {})
        return response

    submitted = await run_in_threadpool(
        cases.submit, web.store, draft, channel="web", attachments=prepared
    )
    query = urlencode({"key": submitted.secret})
    return RedirectResponse(f"/feedback/submitted/{submitted.tracking}?{query}", status_code=303)


def _qr_svg(url: str, tracking: str, language: str) -> str:
    _ = message_translator(language)
    title = _("Link to case {tracking}").format(tracking=tracking)
    svg = segno.make(url, error="m").svg_inline(scale=4, title=title)
    label = _("QR code: opens the page of case {tracking}").format(tracking=tracking)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


async def _read(web: WebContext, tracking: str, key: str) -> cases.Case | None:
    try:
        return await run_in_threadpool(cases.read_case, web.store, tracking, key)
    except cases.CaseNotFound:
        return None


def _not_found(request: Request, web: WebContext, tracking: str) -> Response:
    _ = message_translator(page_language(request))
    errors = {
        "key": _(
            "We cannot find this case, or the access code is wrong. Please check the case number"
            " and access code in your confirmation."
        )
    }
    values = {"tracking": tracking, "key": ""}
    context = {"values": values, "errors": errors}
    lookup_again = f"/feedback/status?{urlencode({'tracking': tracking})}"
    return render_citizen_page(
        request, web.secret, "citizen/lookup.html", context, 404, address=lookup_again
    )


async def submitted_page(request: Request) -> Response:
    web = web_context(request)
    tracking, key = request.path_params["tracking"], request.query_params.get("key", "")
    case = await _read(web, tracking, key)
    if case is None:
        return _not_found(request, web, tracking)
    status_url = status_link(web.settings, case.tracking, key)
    context = {
        "tracking": case.tracking,
        "secret": key,
        "status_url": status_url,
        "status_path": f"/feedback/status/{case.tracking}?{urlencode({'key': key})}",
        "qr_svg": _qr_svg(status_url, case.tracking, page_language(request)),
        "due_date": case.due_at.astimezone(TAIPEI).strftime("%Y-%m-%d"),
        "anonymous": case.anonymous,
        "email_notice": case.consent_reply_email and bool(case.contact_email),
    }
    return render_citizen_page(request, web.secret, "citizen/submitted.html", context)


async def lookup(request: Request) -> Response:
    """The look-up form; with both fields filled in, it opens the case's status page."""
    web = web_context(request)
    raw_tracking = request.query_params.get("tracking", "").strip()
    key = request.query_params.get("key", "").strip()
    values = {"tracking": raw_tracking, "key": key}
    if "key" not in request.query_params:  # a first visit, maybe from an e-mail's link
        context = {"values": values, "errors": {}}
        return render_citizen_page(request, web.secret, "citizen/lookup.html", context)
    _ = message_translator(page_language(request))
    errors = {}
    tracking = normalize_tracking(raw_tracking)
    if not raw_tracking:
        errors["tracking"] = _("Please enter the case number")
    elif tracking is None:
        errors["tracking"] = _(
            "This is not a case number; it looks like KF-7QH3-MX9C-R. Please check it again"
        )
    if not key:
        errors["key"] = _(
            "Please enter the access code (it is on the page shown after sending,"
            " and in the confirmation e-mail)"
        )
    if errors:
        return render_citizen_page(
            request, web.secret, "citizen/lookup.html", {"values": values, "errors": errors}, 400
        )
    return RedirectResponse(f"/feedback/status/{tracking}?{urlencode({'key': key})}", 303)


async def status_page(request: Request) -> Response:
    web = web_context(request)
    tracking, key = request.path_params["tracking"], request.query_params.get("key", "")
    case = await _read(web, tracking, key)
    if case is None:
        return _not_found(request, web, tracking)
    return await _status_response(request, web, case, key, {})


async def _status_response(
    request: Request, web: WebContext, case: cases.Case, key: str, errors: dict,
    status_code: int = 200, values: dict | None = None,
) -> Response:  # fmt: skip
    """The status page; ``values`` fills the survey in again after an error."""
    events, attachments, survey = await run_in_threadpool(_status_data, web, case)
    language = page_language(request)
    done = DONE_MESSAGES.get(request.query_params.get("done", ""))
    context = {
        "case": case,
        "key": key,
        "errors": errors,
        "values": values or {},
        "comment_max": cases.SURVEY_COMMENT_MAX,
        "message": message_translator(language)(done) if done else None,
        "status_label": status_label(case.status, language),
        "type_label": type_label(case.case_type, language),
        "timeline": timeline_lines(events, show_reply_text=False, language=language),
        "attachments": attachments,
        "attachment_base": f"/feedback/status/{case.tracking}/attachments",
        "action_base": f"/feedback/status/{case.tracking}",
        "survey": survey,
        "survey_open": case.status in FINISHED_STATUSES and survey is None,
        "publish_consent_active": case.publish_consent_active,
    }
    address = f"{context['action_base']}?{urlencode({'key': key})}"
    return render_citizen_page(
        request, web.secret, "citizen/status.html", context, status_code, address
    )


def _status_data(web: WebContext, case: cases.Case):
    return (
        cases.timeline(web.store, case.id),
        cases.list_attachments(web.store, case.id),
        cases.get_survey(web.store, case.id),
    )


def _back_to_status(tracking: str, key: str, done: str) -> RedirectResponse:
    query = urlencode({"key": key, "done": done})
    return RedirectResponse(f"/feedback/status/{tracking}?{query}", status_code=303)


async def _posted_case(
    request: Request,
) -> tuple[WebContext, dict, cases.Case | None, Response | None]:
    """The form and case of a POST on the status page, or the response refusing it."""
    web = web_context(request)
    form = await request.form()
    tracking, key = request.path_params["tracking"], str(form.get("key") or "")
    if not check_csrf(request, form.get(CSRF_FIELD), web.secret):
        return web, form, None, _expired(request, web, tracking, key)
    case = await _read(web, tracking, key)
    if case is None:
        return web, form, None, _not_found(request, web, tracking)
    return web, form, case, None


def _expired(request: Request, web: WebContext, tracking: str, key: str) -> Response:
    retry = f"/feedback/status/{quote(tracking)}?{urlencode({'key': key})}"
    return render_citizen_page(
        request, web.secret, "citizen/expired.html", {"retry": retry}, 403, address=retry
    )


async def answer_survey(request: Request) -> Response:
    web, form, case, refusal = await _posted_case(request)
    if refusal is not None:
        return refusal
    key = str(form.get("key"))
    values = {"score": str(form.get("score") or ""), "comment": str(form.get("comment") or "")}
    language = page_language(request)
    _ = message_translator(language)
    if values["score"] not in {"1", "2", "3", "4", "5"}:
        errors = {"score": _("Please choose a score from 1 to 5")}
        return await _status_response(request, web, case, key, errors, 400, values)
    try:
        await run_in_threadpool(
            cases.record_survey, web.store, case.tracking, key, int(values["score"]),
            values["comment"],
        )  # fmt: skip
    except cases.CaseError as exc:
        errors = {"score": message_part(str(exc), language)}
        return await _status_response(request, web, case, key, errors, 400, values)
    return _back_to_status(case.tracking, key, SURVEY_DONE)


async def withdraw_consent(request: Request) -> Response:
    web, form, case, refusal = await _posted_case(request)
    if refusal is not None:
        return refusal
    key = str(form.get("key"))
    await run_in_threadpool(cases.withdraw_publish_consent, web.store, case.tracking, key)
    return _back_to_status(case.tracking, key, CONSENT_WITHDRAWN)


async def own_attachment(request: Request) -> Response:
    """One of the case's files, for the submitter holding the secret."""
    web = web_context(request)
    case = await _read(web, request.path_params["tracking"], request.query_params.get("key", ""))
    if case is None:
        return Response("找不到檔案", status_code=404, media_type="text/plain; charset=utf-8")
    return await attachment_response(web, case, request.path_params["attachment_id"])


async def attachment_response(web: WebContext, case: cases.Case, attachment_id: int) -> Response:
    """The file ``attachment_id`` of ``case`` as a download (never rendered in our origin)."""
    listed = await run_in_threadpool(cases.list_attachments, web.store, case.id)
    item = next((a for a in listed if a.id == attachment_id), None)
    if item is None:
        return Response("找不到檔案", status_code=404, media_type="text/plain; charset=utf-8")
    data = await run_in_threadpool(
        attachment_files.read_file, web.settings.attachments, item.stored_name
    )
    headers = {
        **PAGE_HEADERS,
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.original_name)}",
    }
    return Response(data, media_type=item.content_type, headers=headers)


routes = [
    Route("/feedback", feedback_form, methods=["GET"], name="feedback_form"),
    Route("/feedback", submit_feedback, methods=["POST"], name="feedback_submit"),
    Route("/feedback/submitted/{tracking}", submitted_page, methods=["GET"]),
    Route("/feedback/status", lookup, methods=["GET"], name="feedback_lookup"),
    Route("/feedback/status/{tracking}", status_page, methods=["GET"], name="feedback_status"),
    Route("/feedback/status/{tracking}/survey", answer_survey, methods=["POST"]),
    Route("/feedback/status/{tracking}/withdraw-consent", withdraw_consent, methods=["POST"]),
    Route(
        "/feedback/status/{tracking}/attachments/{attachment_id:int}",
        own_attachment,
        methods=["GET"],
    ),
]
