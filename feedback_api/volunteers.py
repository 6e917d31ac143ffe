"""The volunteer monitors' API under ``/api/v1/volunteer/``: structured reports of unsafe or
unmarked products with photos, and each volunteer's own reports and their status.

A volunteer authenticates with the token staff created for them (``Authorization: Bearer
kfv_…``). A report is a ``multipart/form-data`` upload: the ``report`` field holds the same
JSON object as ``POST /api/v1/cases`` (``type`` defaults to ``report``) and must name the
product, where it is sold and whether it carries the safety mark; ``photos`` holds up to five
JPEG/PNG/HEIC/PDF files (HEIC is kept as JPEG; a report without photos may also come as a
urlencoded form). An ``Idempotency-Key`` header makes a resent report answer the case it already
made (same tracking number) instead of creating a duplicate; the key belongs to the volunteer,
whichever of their tokens sends it. A volunteer sees only their own reports: another volunteer's
tracking number answers 404, exactly like a number that does not exist.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from feedback_api import accounts, cases
from feedback_api import attachments as attachment_files
from feedback_api.api import (
    NOT_FOUND,
    BodyError,
    acknowledgement,
    attachment_response,
    case_view,
    decode_json,
    resent_submission,
    store_of,
    upload_form,
)
from feedback_api.errors import api_error
from feedback_api.lifecycle import STATUSES
from feedback_api.validation import FieldError, ValidationError, parse_submission

BASE = "/api/v1/volunteer/reports"
UNAUTHORIZED = FieldError("token", "需要有效的義務監視員權杖 (a valid volunteer token is required)")


async def _volunteer(request: Request) -> accounts.ApiKey | None:
    authorization = request.headers.get("authorization", "")
    token = authorization[7:].strip() if authorization.lower().startswith("bearer ") else None
    return await run_in_threadpool(accounts.authenticate_key, store_of(request), token, "volunteer")


def _unauthorized() -> Response:
    return api_error(401, [UNAUTHORIZED], {"WWW-Authenticate": 'Bearer realm="volunteer"'})


async def _read_report(request: Request) -> tuple[dict, list[tuple[str, bytes]]]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise ValidationError(
            [FieldError("body", "請以 multipart/form-data 送出 (send multipart/form-data)")]
        )
    form = await upload_form(request, "photos")
    raw = form.get("report")
    if not isinstance(raw, str):
        raise ValidationError(
            [FieldError("report", "請填寫通報內容 (the report field is missing)")]
        )
    try:
        report = decode_json(raw)
    except ValueError:
        raise ValidationError(
            [FieldError("report", "通報內容不是有效的 JSON (report is not valid JSON)")]
        ) from None
    if isinstance(report, dict):
        report.setdefault("type", "report")
    photos = []
    for item in form.getlist("photos"):
        if isinstance(item, str):
            raise ValidationError(
                [FieldError("photos", "這個欄位應為檔案 (this field takes files)")]
            )
        photos.append((item.filename or "photo", await item.read()))
    return report, photos


async def submit_report(request: Request) -> Response:
    key = await _volunteer(request)
    if key is None:
        return _unauthorized()
    request.app.state.limiter.check(request, key.id)
    store = store_of(request)
    try:
        report, photos = await _read_report(request)
        scope = f"volunteer:{key.account_id}"
        claim, submitted = await resent_submission(request, scope, report, photos)
        if submitted is None:
            draft = parse_submission(report, structured_product=True)
            prepared = await run_in_threadpool(attachment_files.prepare, photos, field="photos")
            volunteer = await run_in_threadpool(accounts.get_account, store, key.account_id)
            submitted = await run_in_threadpool(
                cases.submit, store, draft, channel="volunteer", actor=volunteer.actor(),
                attachments=prepared, volunteer_id=volunteer.id, api_key_id=key.id, claim=claim,
            )  # fmt: skip
    except BodyError as exc:
        return api_error(exc.status_code, exc.errors)
    except (ValidationError, attachment_files.AttachmentError) as exc:
        return api_error(422, exc.errors)
    return acknowledgement(
        submitted, store.settings.public_url, api_url=f"{BASE}/{submitted.tracking}"
    )


def _summary(case: cases.Case) -> dict:
    return {
        "tracking": case.tracking,
        "status": case.status,
        "status_label": STATUSES[case.status][0],
        "product_name": case.product_name,
        "received_at": case.received_at.isoformat(),
        "due_at": case.due_at.isoformat(),
        "replied_at": case.replied_at.isoformat() if case.replied_at else None,
        "url": f"{BASE}/{case.tracking}",
    }


async def list_reports(request: Request) -> Response:
    key = await _volunteer(request)
    if key is None:
        return _unauthorized()
    reports = await run_in_threadpool(
        cases.list_volunteer_reports, store_of(request), key.account_id
    )
    return JSONResponse({"ok": True, "reports": [_summary(case) for case in reports]})


async def _own_case(request: Request) -> tuple[cases.Case | None, Response | None]:
    key = await _volunteer(request)
    if key is None:
        return None, _unauthorized()
    try:
        case = await run_in_threadpool(
            cases.get_case, store_of(request), request.path_params["tracking"]
        )
    except cases.CaseNotFound:
        return None, api_error(404, [NOT_FOUND])
    if case.volunteer_id != key.account_id:
        return None, api_error(404, [NOT_FOUND])
    return case, None


async def read_report(request: Request) -> Response:
    case, refusal = await _own_case(request)
    if case is None:
        return refusal
    view = await run_in_threadpool(case_view, case, store_of(request), base_path=BASE)
    return JSONResponse({"ok": True, "case": view}, headers={"Cache-Control": "no-store"})


async def read_photo(request: Request) -> Response:
    case, refusal = await _own_case(request)
    if case is None:
        return refusal
    return await attachment_response(request, case)


routes = [
    Route(BASE, submit_report, methods=["POST"]),
    Route(BASE, list_reports, methods=["GET"]),
    Route(f"{BASE}/{{tracking}}", read_report, methods=["GET"]),
    Route(f"{BASE}/{{tracking}}/attachments/{{attachment_id:int}}", read_photo, methods=["GET"]),
]
