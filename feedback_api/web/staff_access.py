"""Who is at the staff console: logging in and out (throttled, audited), and the
:func:`staff_only` guard every other console page goes through — a live session, the role a
page needs, and a valid CSRF token on every POST. Also the console's page renderer and the
audit helper for actions that change nothing (views, searches, logins).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from feedback_api import accounts as staff_accounts
from feedback_api.accounts import Account
from feedback_api.audit import Actor, record_audit
from feedback_api.web.context import WebContext, web_context
from feedback_api.web.csrf import CSRF_FIELD, check_csrf
from feedback_api.web.pages import render
from feedback_api.web.staff_session import (
    ROLE_LABELS,
    current_staff,
    end_session,
    sees_all_units,
    start_session,
)

SUPERVISORS = ("supervisor", "admin")


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


def staff_page(staff: StaffRequest, name: str, context: dict, status_code: int = 200) -> Response:
    """Render a console page with the logged-in account's menu."""
    account = staff.account
    context = {
        **context,
        "user": account,
        "sees_all": sees_all_units(account),
        "role_label": ROLE_LABELS.get(account.role or "", account.role),
    }
    return render(staff.request, staff.web.secret, name, context, status_code)


def audit(web: WebContext, actor: Actor, action: str, **fields) -> None:
    """Record an action that changes no case (a login, a view, a search) in the audit log."""
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
                return staff_page(staff, "staff/refused.html", {"reason": "stale_form"}, 403)
        staff = StaffRequest(request, web, account, form)
        if roles is not None and account.role not in roles:
            return staff_page(staff, "staff/refused.html", {"reason": "role"}, 403)
        return await handler(staff)

    return endpoint


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
        await run_in_threadpool(audit, web, attempt, "login_failed")
        errors = {"username": "帳號或密碼不正確"}
        return render(request, web.secret, "staff/login.html", {**context, "errors": errors}, 401)
    await run_in_threadpool(audit, web, account.actor(), "login")
    response = RedirectResponse(context["next"], status_code=303)
    start_session(request, response, account, web.secret)
    return response


async def logout(staff: StaffRequest) -> Response:
    await run_in_threadpool(audit, staff.web, staff.actor, "logout")
    response = RedirectResponse("/staff/login", status_code=303)
    await run_in_threadpool(end_session, staff.request, response, staff.web.store, staff.account)
    return response
