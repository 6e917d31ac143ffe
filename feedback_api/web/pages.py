"""Rendering the HTML pages: the Jinja2 environment over ``feedback_api/templates``, the
display filters (times in Asia/Taipei), and :func:`render`, which every handler uses so
that each page carries its CSRF token and the security headers; :func:`render_citizen_page`
renders a citizen page in the reader's language (the staff pages are zh-TW only).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from feedback_api.web.citizen_language import citizen_page_texts, remember_language, template_texts
from feedback_api.web.csrf import CSRF_FIELD, issue_csrf, keep_visitor_cookie
from feedback_api.web.security import PAGE_HEADERS
from publish.i18n import ZH

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TAIPEI = ZoneInfo("Asia/Taipei")


def taipei_time(value: str | datetime | None, with_time: bool = True) -> str:
    """An ISO timestamp shown as Taipei local time, e.g. ``2026-11-27 15:04``."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    local = moment.astimezone(TAIPEI)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["taipei"] = taipei_time
templates.env.globals["CSRF_FIELD"] = CSRF_FIELD
templates.env.globals.update(template_texts(ZH))  # the staff console speaks zh-TW only


def render(
    request: Request,
    secret: bytes,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render template ``name`` with a CSRF token for this session, and the page headers."""
    token = issue_csrf(request, secret)
    response = templates.TemplateResponse(
        request, name, {**(context or {}), "csrf_token": token.value}, status_code=status_code
    )
    response.headers.update(PAGE_HEADERS)
    keep_visitor_cookie(request, response, token)
    return response


def render_citizen_page(
    request: Request,
    secret: bytes,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    address: str | None = None,
) -> HTMLResponse:
    """:func:`render` in the reader's language, remembering a language they just chose;
    ``address`` is where the page can be opened again (see :func:`citizen_page_texts`)."""
    texts = citizen_page_texts(request, address)
    response = render(request, secret, name, {**texts, **(context or {})}, status_code)
    remember_language(request, response)
    return response
