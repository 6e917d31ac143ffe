"""The citizens' JSON API under ``/api/v1/``: submit a case, follow it with the tracking number
and secret, add attachments, answer the survey, withdraw the publication consent.

Every route answers JSON. Errors are ``{"ok": false, "errors": [{"field", "message"}]}`` with
messages in zh-TW followed by English. A submission may carry an API key (``X-API-Key`` or
``Authorization: Bearer``) to be counted against the key's rate limit instead of the
client address's, and an ``Idempotency-Key`` so that resending it cannot make a second case
(:mod:`feedback_api.idempotency`; the volunteer API shares these helpers). The secret of a case
is sent as the ``X-Case-Secret`` header or the ``secret`` query parameter. Database work runs
in the thread pool.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from feedback_api import accounts, cases, idempotency
from feedback_api import attachments as attachment_files
from feedback_api.audit import CITIZEN, Actor
from feedback_api.errors import api_error
from feedback_api.lifecycle import STATUSES
from feedback_api.openapi import openapi_document
from feedback_api.store import Store
from feedback_api.validation import FieldError, ValidationError, parse_submission
from feedback_api.vocabulary import CASE_TYPES

NOT_FOUND = FieldError(
    "tracking",
    "查無此案件，或查詢碼不正確 (no case with this tracking number and secret)",
)


def store_of(request: Request) -> Store:
    return request.app.state.store


def status_url(public_url: str, tracking: str, secret: str) -> str:
    """The citizen's status page for a case (the web form's ``/feedback/status``)."""
    query = urlencode({"tracking": tracking, "key": secret})
    return f"{public_url.rstrip('/')}/feedback/status?{query}"


def acknowledgement(submitted, public_url: str, *, api_url: str) -> JSONResponse:
    """The 201 answer to a submission: tracking number, secret (shown once), status and links;
    the same again, marked ``Idempotent-Replayed``, to a resend under its Idempotency-Key."""
    replayed = {"Idempotent-Replayed": "true"} if submitted.replayed else {}
    return JSONResponse(
        {
            "ok": True,
            "case": {
                "tracking": submitted.tracking,
                "secret": submitted.secret,
                "status": submitted.status,
                "status_label": STATUSES[submitted.status][0],
                "unit": submitted.unit,
                "received_at": submitted.received_at.isoformat(),
                "due_at": submitted.due_at.isoformat(),
                "status_url": status_url(public_url, submitted.tracking, submitted.secret),
                "api_url": api_url,
            },
        },
        status_code=201,
        headers={"Location": api_url, **replayed},
    )


def presented_key(request: Request) -> str | None:
    """The API key or token a request carries, if any."""
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return request.headers.get("x-api-key")


class BodyError(ValidationError):
    """The request cannot be read at all (415: another content type, 400: malformed JSON,
    multipart form or Idempotency-Key header, named by ``field``)."""

    def __init__(self, status_code: int, message: str, field: str = "body"):
        super().__init__([FieldError(field, message)])
        self.status_code = status_code


async def resent_submission(
    request: Request, scope: str, payload: object, files: Sequence[tuple[str, bytes]] = ()
) -> tuple[idempotency.Claim | None, cases.Submitted | None]:
    """The claim of a submission's ``Idempotency-Key`` for ``scope`` (None without the header),
    and the answer already given to it when this is a resend (None otherwise). Raise BodyError
    (400) when the header is malformed, idempotency.KeyReused (422) when the key was used for
    another request."""
    try:
        key = idempotency.parse_key(request.headers.getlist(idempotency.HEADER))
    except ValueError as exc:
        raise BodyError(400, str(exc), field=idempotency.FIELD) from None
    if key is None:
        return None, None
    store = store_of(request)
    claim = await run_in_threadpool(idempotency.claim, store.pepper, scope, key, payload, files)
    return claim, await run_in_threadpool(cases.earlier_submission, store, claim)


def decode_json(raw: bytes | str) -> object:
    """``raw`` parsed as JSON; raise ValueError when it cannot be read: malformed, not UTF-8,
    nested too deeply, or holding an integer longer than Python converts (4,300 digits)."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


async def read_json(request: Request) -> object:
    """The JSON body, or raise BodyError saying what is wrong with it."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BodyError(415, "內容格式應為 application/json (send the body as application/json)")
    raw = await request.body()
    try:
        return decode_json(raw)
    except ValueError:
        raise BodyError(400, "內容不是有效的 JSON (the body is not valid JSON)") from None


def case_view(case: cases.Case, store: Store, *, base_path: str, secret_query: str = "") -> dict:
    """What a case's submitter may see of it: everything they sent, its status, the reply,
    the public timeline and links to their attachments."""
    events = cases.timeline(store, case.id)
    files = cases.list_attachments(store, case.id)
    return {
        "tracking": case.tracking,
        "type": case.case_type,
        "type_label": CASE_TYPES[case.case_type][0],
        "channel": case.channel,
        "status": case.status,
        "status_label": STATUSES[case.status][0],
        "unit": case.unit,
        "text": case.text,
        "product_area": case.product_area,
        "product": {
            "name": case.product_name,
            "brand": case.product_brand,
            "model": case.product_model,
            "shop": case.sold_at_shop,
            "online_url": case.sold_online_url,
            "purchase_date": case.purchase_date,
            "safety_mark": case.safety_mark,
        },
        "place": {
            "district": case.district,
            "address": case.address,
            "lat": case.lat,
            "long": case.lng,
        },
        "contact": None
        if case.anonymous
        else {"name": case.contact_name, "email": case.contact_email, "phone": case.contact_phone},
        "consents": {
            "reply_by_email": case.consent_reply_email,
            "publish_narrative": case.publish_consent_active,
        },
        "received_at": case.received_at.isoformat(),
        "due_at": case.due_at.isoformat(),
        "updated_at": case.updated_at.isoformat(),
        "reply": case.reply_text,
        "replied_at": case.replied_at.isoformat() if case.replied_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "duplicate_of": case.duplicate_of,
        "referred_to": case.referred_to,
        "timeline": [
            {"at": event.at.isoformat(), "kind": event.kind, "message": event.message}
            for event in events
        ],
        "attachments": [
            {
                "id": item.id,
                "name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "url": f"{base_path}/{case.tracking}/attachments/{item.id}{secret_query}",
            }
            for item in files
        ],
    }


async def submit_case(request: Request) -> Response:
    store = store_of(request)
    raw_key = presented_key(request)
    key = None
    if raw_key:
        key = await run_in_threadpool(accounts.authenticate_key, store, raw_key, "client")
        if key is None:
            return api_error(401, [FieldError("api_key", "金鑰無效 (invalid API key)")])
    request.app.state.limiter.check(request, key.id if key else None)
    actor = Actor("api_client", key.label, None) if key else CITIZEN
    try:
        body = await read_json(request)
        scope = f"client:{key.id}" if key else "anonymous"
        claim, submitted = await resent_submission(request, scope, body)
        if submitted is None:
            draft = parse_submission(body)
            submitted = await run_in_threadpool(
                cases.submit, store, draft, channel="api", actor=actor,
                api_key_id=key.id if key else None, claim=claim,
            )  # fmt: skip
    except BodyError as exc:
        return api_error(exc.status_code, exc.errors)
    except ValidationError as exc:
        return api_error(422, exc.errors)
    return acknowledgement(
        submitted, store.settings.public_url, api_url=f"/api/v1/cases/{submitted.tracking}"
    )


def _secret_of(request: Request) -> str:
    return request.headers.get("x-case-secret") or request.query_params.get("secret") or ""


async def _case_for_submitter(request: Request) -> cases.Case | None:
    try:
        return await run_in_threadpool(
            cases.read_case, store_of(request), request.path_params["tracking"], _secret_of(request)
        )
    except cases.CaseNotFound:
        return None


def _secret_query(request: Request) -> str:
    secret = request.query_params.get("secret")
    return f"?{urlencode({'secret': secret})}" if secret else ""


async def read_case(request: Request) -> Response:
    case = await _case_for_submitter(request)
    if case is None:
        return api_error(404, [NOT_FOUND])
    view = await run_in_threadpool(
        case_view, case, store_of(request), base_path="/api/v1/cases",
        secret_query=_secret_query(request),
    )  # fmt: skip
    return JSONResponse({"ok": True, "case": view}, headers={"Cache-Control": "no-store"})


async def add_attachments(request: Request) -> Response:
    case = await _case_for_submitter(request)
    if case is None:
        return api_error(404, [NOT_FOUND])
    request.app.state.limiter.check(request)
    try:
        files = await uploaded_files(request, "files")
        prepared = await run_in_threadpool(attachment_files.prepare, files, field="files")
        await run_in_threadpool(
            cases.add_attachments, store_of(request), case.tracking, prepared, actor=CITIZEN
        )
    except BodyError as exc:
        return api_error(exc.status_code, exc.errors)
    except (ValidationError, attachment_files.AttachmentError) as exc:
        return api_error(422, exc.errors)
    except cases.CaseError as exc:
        return api_error(409, [FieldError("files", str(exc))])
    view = await run_in_threadpool(
        case_view, case, store_of(request), base_path="/api/v1/cases",
        secret_query=_secret_query(request),
    )  # fmt: skip
    return JSONResponse({"ok": True, "attachments": view["attachments"]}, status_code=201)


async def upload_form(request: Request, field: str) -> FormData:
    """The parsed ``multipart/form-data`` body of an upload whose files are in ``field``.

    Starlette refuses a body it cannot parse with an English-only 400; this says it in zh-TW
    too (BodyError, 400), and more files than even a phone's album sends gets the same 422 as
    six files (AttachmentError)."""
    try:
        return await request.form(
            max_files=attachment_files.MAX_FILE_PARTS,
            max_part_size=attachment_files.MAX_FILE_BYTES,
        )
    except HTTPException as exc:
        if exc.status_code != 400:
            raise
        if str(exc.detail).startswith("Too many files"):
            raise attachment_files.too_many_files(field) from None
        raise BodyError(
            400, f"上傳的表單格式不正確，請重新送出 (malformed multipart form: {exc.detail})"
        ) from None


async def uploaded_files(request: Request, field: str) -> list[tuple[str, bytes]]:
    """The files of a multipart upload's ``field``; raise ValidationError when it is not one."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise ValidationError(
            [FieldError(field, "請以 multipart/form-data 上傳檔案 (upload as multipart/form-data)")]
        )
    form = await upload_form(request, field)
    files = []
    for item in form.getlist(field):
        if isinstance(item, str):
            raise ValidationError([FieldError(field, "這個欄位應為檔案 (this field takes files)")])
        files.append((item.filename or "file", await item.read()))
    if not files:
        raise ValidationError([FieldError(field, "請選擇要上傳的檔案 (choose a file to upload)")])
    return files


async def read_attachment(request: Request) -> Response:
    case = await _case_for_submitter(request)
    if case is None:
        return api_error(404, [NOT_FOUND])
    return await attachment_response(request, case)


async def attachment_response(request: Request, case: cases.Case) -> Response:
    """One attachment of ``case`` (already authorised) by the ``attachment_id`` path param."""
    wanted = request.path_params["attachment_id"]
    store = store_of(request)
    files = await run_in_threadpool(cases.list_attachments, store, case.id)
    item = next((f for f in files if f.id == wanted), None)
    if item is None:
        return api_error(404, [FieldError("attachment_id", "找不到這個附件 (no such attachment)")])
    data = await run_in_threadpool(
        attachment_files.read_file, store.settings.attachments, item.stored_name
    )
    return Response(
        data,
        media_type=item.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="attachment-{item.id}'
            f'{attachment_files.EXTENSIONS[item.content_type]}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


async def answer_survey(request: Request) -> Response:
    try:
        body = await read_json(request)
    except BodyError as exc:
        return api_error(exc.status_code, exc.errors)
    unknown = set(body) - {"score", "comment"} if isinstance(body, dict) else {"body"}
    if unknown:
        return api_error(
            422, [FieldError(name, "不接受這個欄位 (unknown field)") for name in sorted(unknown)]
        )
    score, comment = body.get("score"), body.get("comment")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        return api_error(
            422, [FieldError("score", "請選擇 1 到 5 分 (choose a score from 1 to 5)")]
        )
    if comment is not None and (
        not isinstance(comment, str) or len(comment) > cases.SURVEY_COMMENT_MAX
    ):
        limit = cases.SURVEY_COMMENT_MAX
        message = f"意見應為 {limit} 字以內的文字 (text of at most {limit} characters)"
        return api_error(422, [FieldError("comment", message)])
    try:
        survey = await run_in_threadpool(
            cases.record_survey, store_of(request), request.path_params["tracking"],
            _secret_of(request), score, comment,
        )  # fmt: skip
    except cases.CaseNotFound:
        return api_error(404, [NOT_FOUND])
    except cases.CaseError as exc:
        return api_error(409, [FieldError("score", str(exc))])
    return JSONResponse({"ok": True, "survey": {"score": survey.score}}, status_code=201)


async def withdraw_consent(request: Request) -> Response:
    try:
        case = await run_in_threadpool(
            cases.withdraw_publish_consent, store_of(request), request.path_params["tracking"],
            _secret_of(request),
        )  # fmt: skip
    except cases.CaseNotFound:
        return api_error(404, [NOT_FOUND])
    return JSONResponse(
        {"ok": True, "consents": {"publish_narrative": case.publish_consent_active}}
    )


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(request.app.state.store.settings.public_url))


routes = [
    Route("/api/v1/openapi.json", openapi, methods=["GET"]),
    Route("/api/v1/cases", submit_case, methods=["POST"]),
    Route("/api/v1/cases/{tracking}", read_case, methods=["GET"]),
    Route("/api/v1/cases/{tracking}/attachments", add_attachments, methods=["POST"]),
    Route(
        "/api/v1/cases/{tracking}/attachments/{attachment_id:int}",
        read_attachment,
        methods=["GET"],
    ),
    Route("/api/v1/cases/{tracking}/survey", answer_survey, methods=["POST"]),
    Route(
        "/api/v1/cases/{tracking}/consents/publish_narrative/withdraw",
        withdraw_consent,
        methods=["POST"],
    ),
]
