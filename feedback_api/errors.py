"""Error responses in the shape each interface promises.

The JSON API answers ``{"ok": false, "errors": [{"field", "message"}]}``; Open311 answers the
GeoReport list of ``{code, description}`` in the format the path asks for; the citizens' and
staff pages (``/feedback``, ``/staff``) get a page like the others, with a way back, in the
citizen's language (zh-TW or English) or, for staff, zh-TW; any
other path plain text. :func:`http_exception_handler` applies this to every ``HTTPException``
the app raises (404, 405, 413, 429, …).
"""

from __future__ import annotations

from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.types import Scope

from feedback_api import open311_format
from feedback_api.validation import FieldError

API_PREFIX = "/api/v1"
OPEN311_PREFIX = "/open311"

_DEFAULT_MESSAGES = {
    400: "請求格式不正確 (bad request)",
    401: "需要有效的金鑰 (a valid key is required)",
    403: "沒有權限 (forbidden)",
    404: "找不到 (not found)",
    405: "不支援這個方法 (method not allowed)",
    406: "不支援這個格式 (not acceptable)",
    415: "內容格式應為 application/json (the body must be application/json)",
}


# The HTML parts of the service and where their error pages lead back to (the texts are
# message keys of feedback_api.web.citizen_language).
CITIZEN_HOME = "/feedback"
_PAGE_HOMES = {"/staff": "Staff console", CITIZEN_HOME: "Feedback"}
_PAGE_HEADINGS = {
    404: "Page not found",
    405: "This action is not supported",
    408: "The upload took too long",
    413: "What you sent is too large",
    429: "Too many attempts; please try again later",
}


def api_error(
    status_code: int, errors: list[FieldError], headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON API's error body."""
    return JSONResponse(
        {"ok": False, "errors": [{"field": e.field, "message": e.message} for e in errors]},
        status_code=status_code,
        headers=headers,
    )


def error_for_path(
    scope: Scope, status_code: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An error response shaped for the interface the request's path belongs to."""
    path = scope.get("path", "")
    if path.startswith(API_PREFIX):
        return api_error(status_code, [FieldError("request", message)], headers)
    if path.startswith(OPEN311_PREFIX):
        return open311_format.error_response(
            open311_format.format_of(path), status_code, [(status_code, message)], headers
        )
    home = next((prefix for prefix in _PAGE_HOMES if path.startswith(prefix)), None)
    if home is not None:
        return _error_page(Request(scope), home, status_code, message, headers)
    return PlainTextResponse(message, status_code=status_code, headers=headers)


def _error_page(
    request: Request, home: str, status_code: int, message: str, headers: dict[str, str] | None
) -> HTMLResponse:
    """The error as a page of the citizens' (in the reader's language) or staff pages (zh-TW):
    lang, title, a link home."""
    # Imported here: the web package's routes import the API modules that import this one.
    from feedback_api.web.citizen_language import (
        citizen_page_texts,
        message_translator,
        page_language,
    )
    from feedback_api.web.labels import message_part
    from feedback_api.web.pages import templates
    from feedback_api.web.security import PAGE_HEADERS
    from publish.i18n import ZH

    language = page_language(request) if home == CITIZEN_HOME else ZH
    _ = message_translator(language)
    generic = message in _DEFAULT_MESSAGES.values()
    heading = _PAGE_HEADINGS.get(status_code)
    html = templates.get_template("error.html").render(
        heading=_(heading) if heading else message_part(message, language),
        detail=None if generic else message_part(message, language),
        home=home,
        home_label=_(_PAGE_HOMES[home]),
        **(citizen_page_texts(request) if home == CITIZEN_HOME else {}),
    )
    return HTMLResponse(html, status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})})


async def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    message = exc.detail
    if not message or message == _http_phrase(exc.status_code):
        message = _DEFAULT_MESSAGES.get(exc.status_code, message)
    return error_for_path(request.scope, exc.status_code, message, exc.headers)


def _http_phrase(status_code: int) -> str:
    return HTTPStatus(status_code).phrase
