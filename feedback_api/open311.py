"""Open311 GeoReport v2 under ``/open311/v2/``: discovery, services, service definitions,
posting a request (with an API key), reading requests with the spec's filters, one request,
and tokens — each in ``.json`` and ``.xml``, errors as the spec says (404 unknown resource,
403 bad key, 400 everything else; a list of ``{code, description}``).

Reads are public, so what they show of a case carries no personal data: no contact details,
no street address (only the district), coordinates rounded to about a kilometre, and the
description only when the submitter agreed to its publication and only after the
de-identification engine (``ingest.deid.scrub``) has replaced names, phone numbers, IDs and
addresses. Requests posted here consent to that by default (the ``publish_description``
attribute opts out), since Open311 requests are public by convention.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from feedback_api import accounts, cases, schema
from feedback_api.api import store_of
from feedback_api.audit import Actor
from feedback_api.lifecycle import FINISHED_STATUSES, STATUSES, open311_status
from feedback_api.open311_catalog import (
    ATTRIBUTE_CODES,
    JURISDICTION_ID,
    SERVICES,
    Service,
    service_code_of,
    service_definition,
    service_entry,
)
from feedback_api.open311_format import error_response, respond
from feedback_api.store import Store
from feedback_api.tracking import normalize_tracking
from feedback_api.validation import ValidationError, parse_submission
from ingest.deid.scrub import scrub

BASE = "/open311/v2"
FORMATS = ("json", "xml")
MAX_REQUESTS = 1000
MAX_SPAN = timedelta(days=90)
EARLIEST_DATE = datetime(1970, 1, 1, tzinfo=UTC)
COORDINATE_DECIMALS = 2
SERVICE_NOTICE = (
    "本分局將於 3 日內回覆；公開的內容已去除個人資料。"
    " (We answer within 3 days; public reads show no personal data.)"
)
CHANGESET = "2026-11-27T00:00:00+00:00"


class Open311Error(Exception):
    def __init__(self, status: int, description: str, code: int | None = None):
        super().__init__(description)
        self.status = status
        self.code = code or status
        self.description = description


def _fmt(request: Request) -> str:
    fmt = request.path_params.get("fmt", "")
    if fmt not in FORMATS:
        raise Open311Error(404, f"format .{fmt} is not offered; use .json or .xml")
    return fmt


def _check_jurisdiction(value: str | None) -> None:
    if value not in (None, "", JURISDICTION_ID):
        raise Open311Error(404, f"jurisdiction_id {value!r} is not served here")


def _handled(handler):
    async def endpoint(request: Request) -> Response:
        fmt = request.path_params.get("fmt", "json")
        try:
            return await handler(request, _fmt(request))
        except Open311Error as exc:
            return error_response(
                fmt if fmt in FORMATS else "json", exc.status, [(exc.code, exc.description)]
            )

    return endpoint


async def discovery(request: Request, fmt: str) -> Response:
    public_url = store_of(request).settings.public_url.rstrip("/")
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": "經濟部標準檢驗局基隆分局 BSMI Keelung Branch, via /feedback",
            "key_service": "API keys are issued by the branch: kaifang accounts add-api-key",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": f"{public_url}{BASE}",
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


async def list_services(request: Request, fmt: str) -> Response:
    _check_jurisdiction(request.query_params.get("jurisdiction_id"))
    return respond(fmt, "services", [service_entry(s) for s in SERVICES.values()])


async def get_service_definition(request: Request, fmt: str) -> Response:
    _check_jurisdiction(request.query_params.get("jurisdiction_id"))
    service = SERVICES.get(request.path_params["code"])
    if service is None:
        raise Open311Error(404, f"service_code {request.path_params['code']!r} does not exist")
    return respond(fmt, "service_definition", service_definition(service))


def _coordinate(form: FormData, name: str) -> float | None:
    raw = form.get(name)
    if raw in (None, ""):
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number (WGS84 degrees)") from None


# The JSON API's product fields and the Open311 attributes they come from.
_PRODUCT_ATTRIBUTES = {
    "name": "product_name",
    "brand": "product_brand",
    "model": "product_model",
    "shop": "shop",
    "online_url": "online_url",
    "safety_mark": "safety_mark",
}
# The Open311 parameter each field of the JSON API submission comes from, so that an error
# names what the client sent (description, not text).
_PARAMETER_OF_FIELD = {
    "text": "description",
    "place.lat": "lat",
    "place.long": "long",
    "place.address": "address_string",
    "contact.name": "first_name",
    "contact.email": "email",
    "contact.phone": "phone",
    **{f"product.{key}": f"attribute[{code}]" for key, code in _PRODUCT_ATTRIBUTES.items()},
    "product.purchase_date": "attribute[purchase_date]",
}


def submission_from_form(form: FormData) -> tuple[dict, str]:
    """The JSON API submission an Open311 POST stands for, and its service code."""
    code = form.get("service_code")
    if not code:
        raise Open311Error(400, "service_code is required")
    service = SERVICES.get(str(code))
    if service is None:
        raise Open311Error(404, f"service_code {code!r} does not exist")
    lat, long = _coordinate(form, "lat"), _coordinate(form, "long")
    address = form.get("address_string") or None
    if (lat is None or long is None) and not address and not form.get("address_id"):
        raise Open311Error(
            400, "a location is required: lat and long, address_string or address_id"
        )
    attributes: dict[str, str] = {}
    for key, value in form.multi_items():
        if key.startswith("attribute[") and key.endswith("]"):
            name = key[len("attribute[") : -1].removesuffix("][")
            if name not in ATTRIBUTE_CODES:
                raise Open311Error(400, f"attribute[{name}] is not defined for {service.code}")
            attributes[name] = str(value)
    if service.product_required and not attributes.get("product_name"):
        raise Open311Error(400, "attribute[product_name] is required for this service")
    name = " ".join(str(form.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
    contact = {
        "name": name or None,
        "email": form.get("email") or None,
        "phone": form.get("phone") or None,
    }
    product = {key: attributes.get(code) or None for key, code in _PRODUCT_ATTRIBUTES.items()}
    if attributes.get("purchase_date"):
        product["purchase_date"] = attributes["purchase_date"][:10]
    submission = {
        "type": service.case_type,
        "text": form.get("description") or "",
        "product_area": service.product_area,
        "product": product,
        "place": {"address": address, "lat": lat, "long": long},
        "contact": contact if any(contact.values()) else None,
        "consents": {
            "reply_by_email": bool(contact["email"]),
            "publish_narrative": attributes.get("publish_description", "yes") != "no",
        },
    }
    return submission, service.code


async def post_request(request: Request, fmt: str) -> Response:
    store = store_of(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise Open311Error(400, "send the request as application/x-www-form-urlencoded")
    form = await request.form(max_files=0)
    _check_jurisdiction(form.get("jurisdiction_id"))
    key = await run_in_threadpool(accounts.authenticate_key, store, form.get("api_key"), "client")
    if key is None:
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    request.app.state.limiter.check(request, key.id)
    submission, _code = submission_from_form(form)
    try:
        draft = parse_submission(submission)
    except ValidationError as exc:
        errors = [
            (400, f"{_PARAMETER_OF_FIELD.get(e.field, e.field)}: {e.message}") for e in exc.errors
        ]
        return error_response(fmt, 400, errors)
    submitted = await run_in_threadpool(
        cases.submit, store, draft, channel="open311",
        actor=Actor("api_client", key.label), api_key_id=key.id,
    )  # fmt: skip
    return respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": submitted.tracking,
                "token": submitted.open311_token,
                "service_notice": SERVICE_NOTICE,
                "account_id": None,
            }
        ],
        status_code=201,
    )


def public_request(case: cases.Case) -> dict:
    """What Open311 shows of a case: nothing that identifies the person who sent it."""
    description = scrub(case.text).text[:4000] if case.publish_consent_active else None
    code = service_code_of(case.case_type, case.product_area)
    service = SERVICES[code]
    notes = STATUSES[case.status][0]
    if case.status == "referred" and case.referred_to:
        notes = f"已移請{case.referred_to}處理"
    elif case.status == "duplicate" and case.duplicate_of:
        notes = f"與案件 {case.duplicate_of} 重複"
    updated = case.closed_at if case.status in FINISHED_STATUSES else case.updated_at
    return {
        "service_request_id": case.tracking,
        "status": open311_status(case.status),
        "status_notes": notes,
        "service_name": service.name,
        "service_code": code,
        "description": description,
        "agency_responsible": case.unit,
        "service_notice": SERVICE_NOTICE,
        "requested_datetime": case.received_at.isoformat(),
        "updated_datetime": (updated or case.updated_at).isoformat(),
        "expected_datetime": case.due_at.isoformat(),
        "address": case.district,
        "address_id": None,
        "zipcode": None,
        "lat": None if case.lat is None else round(case.lat, COORDINATE_DECIMALS),
        "long": None if case.lng is None else round(case.lng, COORDINATE_DECIMALS),
        "media_url": None,
    }


def _parse_time(name: str, raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} must be ISO 8601 with a time zone") from None
    if value.tzinfo is None:
        raise Open311Error(400, f"{name} must carry a time zone, e.g. 2026-03-01T00:00:00+08:00")
    if value < EARLIEST_DATE:  # also keeps the 90-day window's arithmetic inside datetime's range
        raise Open311Error(400, f"{name} must be {EARLIEST_DATE.date().isoformat()} or later")
    return value.astimezone(UTC)


def _service_filter(service: Service):
    table = schema.cases
    area = table.c.product_area == service.product_area
    if service.product_area == "general":  # cases sent without an area count as general
        area = or_(area, table.c.product_area.is_(None))
    return and_(table.c.case_type == service.case_type, area)


def find_requests(store: Store, params: dict[str, str]) -> list[dict]:
    """The requests matching the spec's filters, newest first, at most 1,000."""
    table = schema.cases
    query = select(table).order_by(table.c.received_at.desc()).limit(MAX_REQUESTS)
    if params.get("service_request_id"):
        ids = [i.strip() for i in params["service_request_id"].split(",") if i.strip()]
        canonical = [c for c in (normalize_tracking(i) for i in ids) if c]
        query = query.where(table.c.tracking.in_(canonical))
    else:
        start = _parse_time("start_date", params.get("start_date"))
        end = _parse_time("end_date", params.get("end_date"))
        if start and end and end - start > MAX_SPAN:
            raise Open311Error(400, "start_date and end_date may be at most 90 days apart")
        if start and end and end < start:
            raise Open311Error(400, "end_date is before start_date")
        if start is None:
            start = (end or datetime.now(UTC)) - MAX_SPAN
        query = query.where(table.c.received_at >= start)
        if end is not None:
            query = query.where(table.c.received_at <= end)
        if params.get("service_code"):
            codes = [c.strip() for c in params["service_code"].split(",") if c.strip()]
            unknown = [c for c in codes if c not in SERVICES]
            if unknown:
                raise Open311Error(404, f"service_code {unknown[0]!r} does not exist")
            query = query.where(or_(*(_service_filter(SERVICES[c]) for c in codes)))
        status = params.get("status")
        if status:
            if status not in ("open", "closed"):
                raise Open311Error(400, "status must be open or closed")
            finished = table.c.status.in_(list(FINISHED_STATUSES))
            query = query.where(finished if status == "closed" else ~finished)
    with store.reading() as conn:
        rows = conn.execute(query).all()
    return [public_request(cases.case_from_row(row)) for row in rows]


async def get_requests(request: Request, fmt: str) -> Response:
    _check_jurisdiction(request.query_params.get("jurisdiction_id"))
    found = await run_in_threadpool(find_requests, store_of(request), dict(request.query_params))
    return respond(fmt, "service_requests", found)


async def get_request(request: Request, fmt: str) -> Response:
    _check_jurisdiction(request.query_params.get("jurisdiction_id"))
    wanted = request.path_params["request_id"]
    try:
        case = await run_in_threadpool(cases.get_case, store_of(request), wanted)
    except cases.CaseNotFound:
        raise Open311Error(404, f"service_request_id {wanted!r} does not exist") from None
    found = await run_in_threadpool(public_request, case)
    return respond(fmt, "service_requests", [found])


async def get_token(request: Request, fmt: str) -> Response:
    _check_jurisdiction(request.query_params.get("jurisdiction_id"))
    token = request.path_params["token"]
    try:
        case = await run_in_threadpool(cases.get_case_by_token, store_of(request), token)
    except cases.CaseNotFound:
        raise Open311Error(404, f"token {token!r} does not exist") from None
    return respond(fmt, "service_requests", [{"service_request_id": case.tracking, "token": token}])


routes = [
    Route(f"{BASE}/discovery.{{fmt}}", _handled(discovery), methods=["GET"]),
    Route(f"{BASE}/services.{{fmt}}", _handled(list_services), methods=["GET"]),
    Route(f"{BASE}/services/{{code}}.{{fmt}}", _handled(get_service_definition), methods=["GET"]),
    Route(f"{BASE}/requests.{{fmt}}", _handled(get_requests), methods=["GET"]),
    Route(f"{BASE}/requests.{{fmt}}", _handled(post_request), methods=["POST"]),
    Route(f"{BASE}/requests/{{request_id}}.{{fmt}}", _handled(get_request), methods=["GET"]),
    Route(f"{BASE}/tokens/{{token}}.{{fmt}}", _handled(get_token), methods=["GET"]),
]
