"""The staff login session: a signed cookie naming the account, and what each role may do.

The cookie holds the account id, its session generation and a random id of this login, signed
with the ``session_key`` secret (itsdangerous) and valid for ``SESSION_MAX_AGE``; logout raises
the account's generation, so every cookie issued before it stops working on the server too.
The login's id is what the console's CSRF tokens are bound to (``feedback_api.web.csrf``). The
cookie is HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS (directly or
per X-Forwarded-Proto). Each request re-reads the account, so a deactivated account or a
changed role takes effect at once. Passwords are checked by
:func:`feedback_api.accounts.authenticate_staff` (argon2).

Roles: section staff work their own unit's cases; supervisors work every unit's and read the
audit log; admins do all of that and manage accounts.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import NoResultFound
from starlette.requests import Request
from starlette.responses import Response

from feedback_api.accounts import Account, end_staff_sessions, get_account
from feedback_api.store import Store
from feedback_api.web.security import is_secure_request

SESSION_COOKIE = "kaifang_staff"
SESSION_MAX_AGE = 10 * 3600  # one working day
ROLE_LABELS = {"section_staff": "課室承辦人", "supervisor": "主管", "admin": "系統管理員"}


def sees_all_units(account: Account) -> bool:
    return account.role in ("supervisor", "admin")


def may_handle(account: Account, unit: str) -> bool:
    """Supervisors and admins handle every unit's cases, section staff their own unit's."""
    return sees_all_units(account) or unit == account.unit


def _serializer(secret: bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="kaifang-staff-session")


def _session(request: Request, secret: bytes) -> dict | None:
    """The content of this request's session cookie when it is ours, unexpired and has an id."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        payload = _serializer(secret).loads(cookie, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) and isinstance(payload.get("sid"), str) else None


def session_id(request: Request, secret: bytes) -> str | None:
    """The id of the login this request's cookie comes from, whether or not the account may
    still act (that is for :func:`current_staff` to say)."""
    payload = _session(request, secret)
    return payload["sid"] if payload else None


def current_staff(request: Request, store: Store, secret: bytes) -> Account | None:
    """The active staff account logged in on this request, or None."""
    payload = _session(request, secret)
    if payload is None:
        return None
    try:
        account = get_account(store, int(payload["account"]))
    except (NoResultFound, KeyError, TypeError, ValueError):
        return None
    if account.kind != "staff" or not account.active:
        return None
    if payload.get("generation") != account.session_generation:
        return None  # issued before a logout
    return account


def start_session(request: Request, response: Response, account: Account, secret: bytes) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        _serializer(secret).dumps(
            {
                "account": account.id,
                "generation": account.session_generation,
                "sid": secrets.token_urlsafe(16),
            }
        ),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=is_secure_request(request),
        path="/",
    )


def end_session(request: Request, response: Response, store: Store, account: Account) -> None:
    """Log out: end the account's sessions on the server and delete the cookie here."""
    end_staff_sessions(store, account.id)
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=is_secure_request(request), path="/"
    )
